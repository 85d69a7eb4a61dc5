package io.autonomic.remediator.core;

import static io.autonomic.remediator.Fixtures.T0;
import static io.autonomic.remediator.Fixtures.anomaly;
import static io.autonomic.remediator.Fixtures.feature;
import static io.autonomic.remediator.Fixtures.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionStatus;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.AuditDecision;
import io.autonomic.avro.AuditRecord;
import io.autonomic.avro.Severity;
import io.autonomic.remediator.TestingAuditSink;
import io.autonomic.remediator.TestingCommandSink;
import io.autonomic.remediator.guardrail.GuardrailChain;
import io.autonomic.remediator.guardrail.Reasons;
import io.autonomic.remediator.policy.PolicyLoader;
import io.autonomic.remediator.policy.PolicyStore;
import io.autonomic.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's bad-deploy fault: every checkout replica opens its own error-rate incident, one FAILOVER of the
 * service handles them all, and a replica that then stops reporting gets replica-silent's RESTART.
 */
class SiblingIncidentsTest {
  static final Map<String, String> CHECKOUT = Map.of("service", "checkout", "namespace", "shop");
  static final String ERRORS = "http.server.request.errors";

  static final String POLICIES = """
      guardrails:
        cooldown: 20s
        approval: {kinds: [DELETE_POD], ttl: 5m}
      policies:
        - name: replica-silent
          match:
            signals: ["*:absent"]
          target: {kind: process, name: "${entity}"}
          verifyWindow: 15s
          groupWindow: 5m
          ladder:
            - action: RESTART
        - name: error-rate
          match:
            signals: ["http.server.request.error*"]
          target: {kind: service, name: "${label:service}"}
          verifyWindow: 20s
          groupWindow: 5m
          ladder:
            - action: FAILOVER
              destructive: false
      """;

  static final String FIRST = "checkout-1~error-rate~" + T0.toEpochMilli() + "#0";

  final ManualClock clock = new ManualClock(T0.plus(Duration.ofSeconds(65)));
  final TestingCommandSink commands = new TestingCommandSink();
  final TestingAuditSink audit = new TestingAuditSink();
  final RemediatorMetrics metrics = RemediatorMetrics.inMemory();
  final Remediator remediator = new Remediator(PolicyStore.fixed(PolicyLoader.load(Map.of("p.yaml", POLICIES))),
      GuardrailChain.standard(), new RemediatorState(), commands, audit, clock, metrics,
      new Remediator.Settings(false, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(1)));

  void badDeployOnEveryReplica() {
    for (String replica : List.of("checkout-1", "checkout-2", "checkout-3")) {
      remediator.onAnomaly(anomaly(replica, ERRORS, T0, Severity.HIGH, CHECKOUT, feature(ERRORS + ":mean", 9, 0.1)));
    }
  }

  /** What the absent-series check reports: the silent series' metric and the feature {@code <metric>:absent}. */
  static AnomalyEvent absent(String entity, Instant windowStart) {
    AnomalyEvent a = anomaly(entity, ERRORS, windowStart, Severity.HIGH, CHECKOUT,
        feature(ERRORS + ":absent", 0, 12.0));
    a.setDetector("absent");
    a.setEventId("absent:" + entity + ":" + ERRORS + ":" + windowStart.toEpochMilli());
    return a;
  }

  @Test
  void anAnomalyOfAnotherPolicyOpensItsOwnIncidentInsteadOfJoiningTheOpenOne() {
    badDeployOnEveryReplica();
    clock.advance(Duration.ofSeconds(44)); // past the cooldown of the FAILOVER

    // its metric also matches error-rate, but replica-silent comes first
    remediator.onAnomaly(absent("checkout-2", T0.plusSeconds(60)));

    assertThat(commands.commands()).extracting(ActionCommand::getKind)
        .containsExactly(ActionKind.FAILOVER, ActionKind.RESTART);
    ActionCommand restart = commands.last();
    assertThat(restart.getCommandId()).isEqualTo("checkout-2~replica-silent~" + T0.plusSeconds(60).toEpochMilli()
        + "#0");
    assertThat(restart.getTarget().getKind()).isEqualTo("process");
    assertThat(restart.getTarget().getName()).isEqualTo("checkout-2");
    assertThat(restart.getPolicy()).isEqualTo("replica-silent");
    assertThat(metrics.decisions("ISSUED", null)).isEqualTo(2);
  }

  @Test
  void siblingsHeldByTheCooldownAreResolvedAsCoveredAndNeverRepeatTheCommand() {
    badDeployOnEveryReplica();

    assertThat(commands.commands()).extracting(ActionCommand::getCommandId).containsExactly(FIRST);
    List<AuditRecord> covered = audit.withDecision(AuditDecision.RESOLVED);
    assertThat(covered).extracting(AuditRecord::getIncidentId).containsExactly(
        "checkout-2~error-rate~" + T0.toEpochMilli(), "checkout-3~error-rate~" + T0.toEpochMilli());
    assertThat(covered).allSatisfy(r -> {
      assertThat(r.getGuardrail()).isEqualTo(Reasons.COVERED);
      assertThat(r.getCommandId()).isEqualTo(FIRST);
      assertThat(r.getReason()).startsWith("covered by command " + FIRST + " of incident checkout-1~error-rate~")
          .contains("already issued FAILOVER on service/-/checkout; no duplicate command (suppressed by cooldown");
      assertThat(r.getExplanation()).containsEntry("coveredBy", "checkout-1~error-rate~" + T0.toEpochMilli());
    });
    assertThat(metrics.decisions("RESOLVED", Reasons.COVERED)).isEqualTo(2);
    assertThat(metrics.decisions("SUPPRESSED", Reasons.COOLDOWN)).isZero();
    assertThat(metrics.resolved("error-rate")).as("no MTTR: nothing was verified").isZero();

    // the errors go on while the FAILOVER takes effect: they fold into the covered incidents, quietly
    int audited = audit.records().size();
    clock.advance(Duration.ofSeconds(10));
    remediator.onResult(result(FIRST, ActionStatus.APPLIED, clock.instant(), Map.of()));
    remediator.onAnomaly(anomaly("checkout-2", ERRORS, T0.plusSeconds(60), Severity.HIGH, CHECKOUT));
    assertThat(remediator.state().incidents()).hasSize(3);
    assertThat(audit.records()).hasSize(audited);

    // the retry interval and the cooldown pass: nothing is issued again
    clock.advance(Duration.ofSeconds(60));
    remediator.tick();
    clock.advance(Duration.ofSeconds(60));
    remediator.tick();

    assertThat(commands.commands()).extracting(ActionCommand::getCommandId).containsExactly(FIRST);
    assertThat(metrics.decisions("ISSUED", null)).isEqualTo(1);
  }

  @Test
  void theCoverLastsWhileTheSiblingVerifiesItsCommandThenNewEvidenceIsJudgedAfresh() {
    badDeployOnEveryReplica();
    remediator.onResult(result(FIRST, ActionStatus.APPLIED, clock.instant(), Map.of()));

    clock.advance(Duration.ofSeconds(19)); // within the 20 s cooldown of the FAILOVER
    remediator.onAnomaly(anomaly("checkout-2", ERRORS, T0.plusSeconds(60), Severity.HIGH, CHECKOUT));
    clock.advance(Duration.ofSeconds(2)); // the cooldown is over; checkout-1 still verifies the FAILOVER
    remediator.onAnomaly(anomaly("checkout-2", ERRORS, T0.plusSeconds(70), Severity.HIGH, CHECKOUT));
    assertThat(commands.commands()).hasSize(1);
    assertThat(remediator.state().incidents()).hasSize(3);

    remediator.tick(); // checkout-1 verified: the cover ends with it
    assertThat(remediator.state().incident("checkout-1~error-rate~" + T0.toEpochMilli()).status)
        .isEqualTo(IncidentRecord.Status.RESOLVED);
    remediator.onAnomaly(anomaly("checkout-2", ERRORS, T0.plusSeconds(80), Severity.HIGH, CHECKOUT));

    assertThat(commands.commands()).extracting(ActionCommand::getCommandId).containsExactly(FIRST,
        "checkout-2~error-rate~" + T0.plusSeconds(80).toEpochMilli() + "#0");
  }

  @Test
  void anotherPolicysActionOnTheSameTargetIsHeldByTheCooldownNotCovered() {
    String yaml = """
        guardrails:
          cooldown: 20s
          approval: {kinds: [DELETE_POD], ttl: 5m}
        policies:
          - name: error-rate
            match:
              signals: ["http.server.request.error*"]
            target: {kind: service, name: "${label:service}"}
            ladder:
              - action: SCALE
                params: {replicas: "4"}
          - name: error-budget
            match:
              signals: ["errors.total*"]
            target: {kind: service, name: "${label:service}"}
            ladder:
              - action: FAILOVER
                destructive: false
        """;
    Remediator other = new Remediator(PolicyStore.fixed(PolicyLoader.load(Map.of("p.yaml", yaml))),
        GuardrailChain.standard(), new RemediatorState(), commands, audit, clock, metrics,
        Remediator.Settings.defaults());
    other.onAnomaly(anomaly("checkout-1", ERRORS, T0, Severity.HIGH, CHECKOUT));
    other.onAnomaly(anomaly("checkout-2", "errors.total", T0, Severity.HIGH, CHECKOUT));

    assertThat(commands.commands()).extracting(ActionCommand::getKind).containsExactly(ActionKind.SCALE);
    assertThat(audit.last().getDecision()).isEqualTo(AuditDecision.SUPPRESSED);
    assertThat(audit.last().getGuardrail()).isEqualTo(Reasons.COOLDOWN);
    assertThat(metrics.decisions("RESOLVED", Reasons.COVERED)).isZero();
  }
}
