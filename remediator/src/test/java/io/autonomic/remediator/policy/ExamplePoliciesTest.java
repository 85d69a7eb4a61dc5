package io.autonomic.remediator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExamplePoliciesTest {
  @Test
  void theShippedExamplePoliciesLoad() {
    PolicySet set = PolicyLoader.loadDirectory(Path.of("policies"));

    assertThat(set.policies()).extracting(Policy::name).containsExactly("service-latency", "api-capacity");
    assertThat(set.guardrails().allowedNamespaces()).hasSize(2);
  }
}
