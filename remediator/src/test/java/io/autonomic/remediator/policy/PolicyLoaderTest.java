package io.autonomic.remediator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.avro.ActionKind;
import io.autonomic.avro.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
  static final String CHECKOUT = """
      policies:
        - name: checkout-latency
          match:
            entityKinds: [service]
            labels: {namespace: shop}
            metrics: ["latency.*"]
            minSeverity: HIGH
            for: 2m
          target: {kind: Deployment, namespace: "${label:namespace}", name: "${label:service}"}
          cooldown: 10m
          verifyWindow: 3m
          ladder:
            - action: ROLLOUT_RESTART
            - action: SCALE
              scaleOut: 50%
              maxReplicas: 10
            - action: FAILOVER
            - action: PAGE
              target: {kind: webhook, name: oncall}
              params: {format: pagerduty}
      """;

  static Map<String, String> files(String... nameAndText) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameAndText.length; i += 2) {
      m.put(nameAndText[i], nameAndText[i + 1]);
    }
    return m;
  }

  @Test
  void readsAPolicyWithItsMatchAndLadder() {
    PolicySet set = PolicyLoader.load(files("checkout.yaml", CHECKOUT));

    Policy p = set.byName("checkout-latency");
    assertThat(p.source()).isEqualTo("checkout.yaml:2");
    assertThat(p.match().entityKinds()).containsExactly("service");
    assertThat(p.match().labels()).containsEntry("namespace", "shop");
    assertThat(p.match().minSeverity()).isEqualTo(Severity.HIGH);
    assertThat(p.match().forAtLeast()).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.cooldown()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.ladder()).extracting(Policy.Step::action).containsExactly(ActionKind.ROLLOUT_RESTART,
        ActionKind.SCALE, ActionKind.FAILOVER, ActionKind.PAGE);
    assertThat(p.ladder().get(1).scaleOutPercent()).isEqualTo(50);
    assertThat(p.ladder().get(1).maxReplicas()).isEqualTo(10);
    assertThat(p.ladder().get(2).destructive()).as("FAILOVER needs approval by default").isTrue();
    assertThat(p.ladder().get(3).target().kind()).isEqualTo("webhook");
    assertThat(set.guardrails()).isEqualTo(GuardrailSettings.defaults());
  }

  @Test
  void errorNamesFileLineAndKeyOfAnUnknownAction() {
    String bad = CHECKOUT.replace("action: FAILOVER", "action: FAILOVR");

    assertThatThrownBy(() -> PolicyLoader.load(files("checkout.yaml", bad)))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("checkout.yaml:17: key 'policies[0].ladder[2].action': unknown value 'FAILOVR'")
        .satisfies(e -> {
          PolicyException pe = (PolicyException) e;
          assertThat(pe.file()).isEqualTo("checkout.yaml");
          assertThat(pe.line()).isEqualTo(17);
          assertThat(pe.key()).isEqualTo("policies[0].ladder[2].action");
        });
  }

  @Test
  void errorNamesAnUnknownKey() {
    String bad = CHECKOUT.replace("cooldown: 10m", "coldown: 10m");

    assertThatThrownBy(() -> PolicyLoader.load(files("checkout.yaml", bad)))
        .hasMessageStartingWith("checkout.yaml:10: key 'policies[0].coldown': unknown key");
  }

  @Test
  void errorNamesABadDuration() {
    String bad = CHECKOUT.replace("for: 2m", "for: two minutes");

    assertThatThrownBy(() -> PolicyLoader.load(files("checkout.yaml", bad)))
        .hasMessageStartingWith("checkout.yaml:8: key 'policies[0].match.for'");
  }

  @Test
  void errorNamesAMissingRequiredKey() {
    String bad = CHECKOUT.replace("target: {kind: Deployment, namespace: \"${label:namespace}\", name: "
        + "\"${label:service}\"}", "groupWindow: 5m");

    assertThatThrownBy(() -> PolicyLoader.load(files("checkout.yaml", bad)))
        .hasMessageContaining("key 'policies[0].target': required key is missing");
  }

  @Test
  void rejectsAScaleStepWithoutAWayToComputeReplicas() {
    String bad = CHECKOUT.replace("scaleOut: 50%", "dryRun: false");

    assertThatThrownBy(() -> PolicyLoader.load(files("checkout.yaml", bad)))
        .hasMessageContaining("checkout.yaml:14: key 'policies[0].ladder[1]': a SCALE step needs scaleOut");
  }

  @Test
  void rejectsInvalidYamlWithItsLine() {
    assertThatThrownBy(() -> PolicyLoader.load(files("x.yaml", "policies:\n  - name: [unclosed\n")))
        .hasMessageStartingWith("x.yaml:").hasMessageContaining("invalid YAML");
  }

  @Test
  void rejectsTheSamePolicyNameTwice() {
    assertThatThrownBy(() -> PolicyLoader.load(files("a.yaml", CHECKOUT, "b.yaml", CHECKOUT)))
        .hasMessageStartingWith("b.yaml:2: key 'policies[0].name': policy 'checkout-latency' is already "
            + "defined at a.yaml:2");
  }

  @Test
  void readsGuardrails() {
    String g = """
        guardrails:
          killSwitch: false
          allowedNamespaces: [shop, "team-*"]
          protectedTargets: ["*/kube-system/*"]
          cooldown: 5m
          rateLimit: {perTarget: 2, global: 10, per: 1h}
          replicas: {min: 2, max: 12, maxStep: 4}
          approval: {kinds: [DELETE_POD], ttl: 15m}
          maintenance:
            - {name: nightly, targets: ["*/shop/*"], days: [SAT, SUN], from: "02:00", to: "04:00", zone: UTC}
            - {name: upgrade, start: "2026-11-26T10:00:00Z", end: "2026-11-26T11:00:00Z"}
          silences:
            - {name: known-issue, matchers: {service: checkout}, until: "2026-11-27T00:00:00Z", comment: JIRA-1}
        """;

    GuardrailSettings s = PolicyLoader.load(files("guardrails.yaml", g)).guardrails();

    assertThat(s.cooldown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.perTargetLimit()).isEqualTo(2);
    assertThat(s.globalLimit()).isEqualTo(10);
    assertThat(s.minReplicas()).isEqualTo(2);
    assertThat(s.maxReplicas()).isEqualTo(12);
    assertThat(s.maxStep()).isEqualTo(4);
    assertThat(s.approvalKinds()).containsExactly(ActionKind.DELETE_POD);
    assertThat(s.approvalTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.maintenance()).hasSize(2);
    assertThat(s.silences().get(0).comment()).isEqualTo("JIRA-1");
    assertThat(s.allowedNamespaces().get(1).matches("team-a")).isTrue();
  }

  @Test
  void rejectsReplicaBoundsTheWrongWayRound() {
    assertThatThrownBy(() -> PolicyLoader.load(files("g.yaml", "guardrails:\n  replicas: {min: 5, max: 2}\n")))
        .hasMessageStartingWith("g.yaml:2: key 'guardrails.replicas': min (5) is greater than max (2)");
  }

  @Test
  void hotReloadKeepsThePreviousGoodSetWhenTheNewOneIsInvalid(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("checkout.yaml"), CHECKOUT);
    PolicyStore store = new PolicyStore(dir);
    PolicySet first = store.loadInitial();

    Files.writeString(dir.resolve("checkout.yaml"), CHECKOUT.replace("minSeverity: HIGH", "minSeverity: HUGE"));
    var error = store.reload();

    assertThat(error).isPresent();
    assertThat(error.get().getMessage()).startsWith("checkout.yaml:7: key 'policies[0].match.minSeverity'");
    assertThat(store.current()).isSameAs(first);
    assertThat(store.failures()).isEqualTo(1);

    Files.writeString(dir.resolve("checkout.yaml"), CHECKOUT.replace("minSeverity: HIGH", "minSeverity: LOW"));
    assertThat(store.reload()).isEmpty();
    assertThat(store.current().byName("checkout-latency").match().minSeverity()).isEqualTo(Severity.LOW);
    assertThat(store.reloads()).isEqualTo(2);
    assertThat(store.lastError()).isEmpty();
  }

  @Test
  void anUnchangedDirectoryIsNotReloaded(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("checkout.yaml"), CHECKOUT);
    PolicyStore store = new PolicyStore(dir);
    PolicySet first = store.loadInitial();

    store.reload();

    assertThat(store.current()).isSameAs(first);
    assertThat(store.reloads()).isEqualTo(1);
  }
}
