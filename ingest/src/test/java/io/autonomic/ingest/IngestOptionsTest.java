package io.autonomic.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.config.ConfigOption;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestOptionsTest {
  @Test
  void everyOptionHasADescriptionAndAUniqueKey() {
    Set<String> keys = new HashSet<>();
    for (ConfigOption<?> o : IngestOptions.all()) {
      assertThat(o.description()).as(o.key()).isNotBlank();
      assertThat(keys.add(o.key())).as("duplicate " + o.key()).isTrue();
    }
  }

  @Test
  void everyDeclaredOptionIsInTheList() throws Exception {
    long declared = java.util.Arrays.stream(IngestOptions.class.getFields())
        .filter(f -> f.getType() == ConfigOption.class).count();
    assertThat(IngestOptions.AGENT).hasSize((int) declared);
  }

  @Test
  void listsAreCommaSeparated() {
    assertThat(IngestOptions.list(" a, b ,,c ")).containsExactly("a", "b", "c");
    assertThat(IngestOptions.list(null)).isEmpty();
  }
}
