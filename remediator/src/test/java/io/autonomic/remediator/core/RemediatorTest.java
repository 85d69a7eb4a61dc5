package io.autonomic.remediator.core;

import static io.autonomic.remediator.Fixtures.T0;
import static io.autonomic.remediator.Fixtures.anomaly;
import static io.autonomic.remediator.Fixtures.feature;
import static io.autonomic.remediator.Fixtures.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionStatus;
import io.autonomic.avro.AuditDecision;
import io.autonomic.avro.AuditRecord;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.RootCauseCandidate;
import io.autonomic.avro.Severity;
import io.autonomic.testkit.ManualClock;
import io.autonomic.remediator.TestingAuditSink;
import io.autonomic.remediator.TestingCommandSink;
import io.autonomic.remediator.guardrail.GuardrailChain;
import io.autonomic.remediator.guardrail.Reasons;
import io.autonomic.remediator.policy.PolicyLoader;
import io.autonomic.remediator.policy.PolicyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemediatorTest {
  static final Map<String, String> CHECKOUT = Map.of("kind", "service", "service", "checkout", "namespace", "shop",
      "replicas", "4");

  static final String POLICIES = """
      guardrails:
        allowedNamespaces: [shop]
        cooldown: 10m
        replicas: {min: 1, max: 20, maxStep: 5}
        approval: {kinds: [FAILOVER], ttl: 15m}
      policies:
        - name: checkout
          match: {entityKinds: [service], minSeverity: HIGH, for: 1m}
          target: {kind: Deployment, namespace: "${label:namespace}", name: "${label:service}"}
          verifyWindow: 5m
          ladder:
            - action: ROLLOUT_RESTART
            - action: SCALE
              scaleOut: 50%
              maxReplicas: 10
            - action: FAILOVER
            - action: PAGE
              target: {kind: webhook, name: oncall}
              params: {format: pagerduty, summary: "checkout on ${entity} is ${severity}"}
        - name: api-capacity
          match: {entityKinds: [api]}
          target: {kind: Deployment, namespace: "${label:namespace}", name: "${label:service}"}
          ladder:
            - action: SCALE
              capacity: {feature: "requests.rate:mean", perReplica: 100}
              predictive: true
      """;

  final ManualClock clock = new ManualClock(T0.plus(Duration.ofMinutes(3)));
  final TestingCommandSink commands = new TestingCommandSink();
  final TestingAuditSink audit = new TestingAuditSink();
  final RemediatorMetrics metrics = RemediatorMetrics.inMemory();
  Remediator remediator = remediator(POLICIES, false);

  Remediator remediator(String yaml, boolean dryRun) {
    PolicyStore store = PolicyStore.fixed(PolicyLoader.load(Map.of("policies.yaml", yaml)));
    Remediator.Settings s = new Remediator.Settings(dryRun, Duration.ofMinutes(10), Duration.ofMinutes(1),
        Duration.ofMinutes(1));
    return new Remediator(store, GuardrailChain.standard(), new RemediatorState(), commands, audit, clock, metrics,
        s);
  }

  void twoMinutesOfLatencyAndErrors(String entity, Map<String, String> tags) {
    remediator.onAnomaly(anomaly(entity, "latency.p99", T0, Severity.HIGH, tags));
    remediator.onAnomaly(anomaly(entity, "errors.rate", T0.plusSeconds(30), Severity.HIGH, tags));
    remediator.onAnomaly(anomaly(entity, "latency.p99", T0.plusSeconds(60), Severity.CRITICAL, tags));
  }

  @Test
  void severalAnomalousMetricsOfOneEntityGiveOneIncidentAndOneCommand() {
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);

    assertThat(commands.commands()).hasSize(1);
    ActionCommand c = commands.last();
    assertThat(c.getCommandId()).isEqualTo("service:checkout~checkout~" + T0.toEpochMilli() + "#0");
    assertThat(c.getKind()).isEqualTo(ActionKind.ROLLOUT_RESTART);
    assertThat(c.getTarget().getNamespace()).isEqualTo("shop");
    assertThat(c.getTarget().getName()).isEqualTo("checkout");
    assertThat(c.getReason()).contains("policy checkout step 0 ROLLOUT_RESTART")
        .contains("HIGH anomaly on service:checkout (latency.p99)");
    assertThat(remediator.state().incidents()).singleElement()
        .satisfies(i -> assertThat(i.signals).containsExactly("latency.p99", "errors.rate"));
    assertThat(audit.withDecision(AuditDecision.ISSUED)).hasSize(1);
    assertThat(metrics.decisions("ISSUED", null)).isEqualTo(1);
  }

  @Test
  void waitsUntilTheConditionHasLastedLongEnough() {
    remediator.onAnomaly(anomaly("service:checkout", "latency.p99", T0, Severity.HIGH, CHECKOUT));
    // one window of 1 minute has lasted 60 s = for: 1m, so add a policy needing longer
    Remediator slow = remediator(POLICIES.replace("for: 1m", "for: 3m"), false);
    commands.commands().clear();
    audit.records().clear();

    slow.onAnomaly(anomaly("service:checkout", "latency.p99", T0, Severity.HIGH, CHECKOUT));

    assertThat(commands.commands()).isEmpty();
    assertThat(audit.last().getDecision()).isEqualTo(AuditDecision.SUPPRESSED);
    assertThat(audit.last().getReason()).startsWith("waiting: the condition has lasted 60s");

    slow.onAnomaly(anomaly("service:checkout", "latency.p99", T0.plus(Duration.ofMinutes(2)), Severity.HIGH,
        CHECKOUT));
    assertThat(commands.commands()).hasSize(1);
  }

  @Test
  void lowSeverityDoesNotMatch() {
    remediator.onAnomaly(anomaly("service:checkout", "latency.p99", T0, Severity.MEDIUM, CHECKOUT));

    assertThat(commands.commands()).isEmpty();
    assertThat(audit.records()).isEmpty();
  }

  @Test
  void recoveryWithinTheVerificationWindowResolvesAndRecordsMttr() {
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);
    String id = commands.last().getCommandId();

    remediator.onResult(result(id, ActionStatus.APPLIED, clock.instant(), Map.of()));
    clock.advance(Duration.ofMinutes(5));
    remediator.tick();

    assertThat(audit.withDecision(AuditDecision.VERIFIED)).hasSize(1);
    AuditRecord resolved = audit.withDecision(AuditDecision.RESOLVED).get(0);
    assertThat(resolved.getExplanation()).containsEntry("mttr.ms", Long.toString(Duration.ofMinutes(8).toMillis()));
    assertThat(resolved.getExplanation()).containsEntry("mttd.ms", Long.toString(Duration.ofSeconds(65).toMillis()));
    assertThat(metrics.resolved("checkout")).isEqualTo(1);
    assertThat(commands.commands()).hasSize(1);
  }

  @Test
  void stillAnomalousAfterTheWindowEscalatesToTheNextStep() {
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);
    remediator.onResult(result(commands.last().getCommandId(), ActionStatus.APPLIED, clock.instant(), Map.of()));

    clock.advance(Duration.ofMinutes(2));
    remediator.onAnomaly(anomaly("service:checkout", "latency.p99", clock.instant(), Severity.HIGH, CHECKOUT));
    assertThat(commands.commands()).hasSize(1);
    clock.advance(Duration.ofMinutes(3));
    remediator.tick();

    assertThat(commands.commands()).hasSize(2);
    ActionCommand scale = commands.last();
    assertThat(scale.getKind()).isEqualTo(ActionKind.SCALE);
    assertThat(scale.getStepIndex()).isEqualTo(1);
    assertThat(scale.getParams()).containsEntry("replicas", "6").containsEntry("replicas.before", "4");
    assertThat(scale.getReason()).contains("scale out by 50%: 4 -> 6");
    assertThat(audit.withDecision(AuditDecision.ESCALATED).get(0).getReason())
        .contains("did not fix it").contains("escalating to step 1 SCALE");
  }

  @Test
  void aFailedResultEscalatesAtOnce() {
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);

    remediator.onResult(result(commands.last().getCommandId(), ActionStatus.FAILED, clock.instant(), Map.of()));

    assertThat(commands.last().getKind()).isEqualTo(ActionKind.SCALE);
    assertThat(audit.withDecision(AuditDecision.ESCALATED).get(0).getReason()).contains("failed (testing): boom");
  }

  @Test
  void aDestructiveStepWaitsForApprovalAndRunsWhenApproved() {
    String id = reachFailover();

    assertThat(audit.last().getDecision()).isEqualTo(AuditDecision.PENDING_APPROVAL);
    assertThat(commands.commands()).extracting(ActionCommand::getCommandId).doesNotContain(id);

    remediator.onApproval(approval(id, AuditDecision.APPROVED, "alice"));

    ActionCommand failover = commands.last();
    assertThat(failover.getCommandId()).isEqualTo(id);
    assertThat(failover.getRequiresApproval()).isTrue();
    assertThat(failover.getParams()).containsEntry("approvedBy", "alice");
    assertThat(audit.withDecision(AuditDecision.APPROVED).get(0).getActor()).isEqualTo("alice");
  }

  @Test
  void aPendingApprovalExpiresAfterItsTtlAndTheLadderMovesOn() {
    String id = reachFailover();

    clock.advance(Duration.ofMinutes(15));
    remediator.tick();

    assertThat(audit.withDecision(AuditDecision.EXPIRED)).extracting(AuditRecord::getCommandId).containsExactly(id);
    assertThat(commands.last().getKind()).isEqualTo(ActionKind.PAGE);
    assertThat(commands.last().getParams()).containsEntry("summary", "checkout on service:checkout is CRITICAL");

    remediator.onApproval(approval(id, AuditDecision.APPROVED, "late-larry"));
    assertThat(commands.commands()).extracting(ActionCommand::getCommandId).doesNotContain(id);
  }

  @Test
  void aDeniedStepEscalates() {
    String id = reachFailover();

    remediator.onApproval(approval(id, AuditDecision.DENIED, "bob"));

    assertThat(audit.withDecision(AuditDecision.DENIED)).hasSize(1);
    assertThat(commands.last().getKind()).isEqualTo(ActionKind.PAGE);
  }

  @Test
  void theLadderEndsExhausted() {
    reachFailover();
    remediator.onApproval(approval(audit.last().getCommandId(), AuditDecision.DENIED, "bob"));

    remediator.onResult(result(commands.last().getCommandId(), ActionStatus.FAILED, clock.instant(), Map.of()));

    assertThat(audit.last().getDecision()).isEqualTo(AuditDecision.ESCALATED);
    assertThat(audit.last().getReason()).contains("the ladder is exhausted");
  }

  private String reachFailover() {
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);
    remediator.onResult(result(commands.last().getCommandId(), ActionStatus.FAILED, clock.instant(), Map.of()));
    remediator.onResult(result(commands.last().getCommandId(), ActionStatus.FAILED, clock.instant(), Map.of()));
    return audit.last().getCommandId();
  }

  static AuditRecord approval(String commandId, AuditDecision d, String actor) {
    return AuditRecord.newBuilder().setAuditId("approval:" + commandId).setIncidentId("?").setDecision(d)
        .setReason("").setCommandId(commandId).setActor(actor).setDecidedAt(T0).build();
  }

  @Test
  void anotherPolicysIncidentOnTheSameTargetIsSuppressedByCooldown() {
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);
    // a second entity whose policy targets the same Deployment (the same policy and action would be covered by
    // the first incident's command instead: SiblingIncidentsTest)
    Map<String, String> api = Map.of("kind", "api", "service", "checkout", "namespace", "shop", "replicas", "4");
    remediator.onAnomaly(anomaly("api:checkout", "requests.rate", T0, Severity.HIGH, api,
        feature("requests.rate:mean", 540, 300.0)));
    remediator.onAnomaly(anomaly("api:checkout", "requests.rate", T0.plusSeconds(60), Severity.HIGH, api,
        feature("requests.rate:mean", 560, 300.0)));

    assertThat(commands.commands()).hasSize(1);
    AuditRecord suppressed = audit.withDecision(AuditDecision.SUPPRESSED).get(0);
    assertThat(suppressed.getGuardrail()).isEqualTo(Reasons.COOLDOWN);
    assertThat(suppressed.getReason()).startsWith("suppressed by cooldown");
    assertThat(metrics.decisions("SUPPRESSED", Reasons.COOLDOWN)).isEqualTo(2);
    assertThat(audit.withDecision(AuditDecision.SUPPRESSED)).as("one audit record per distinct reason").hasSize(1);
  }

  @Test
  void aTargetOutsideTheAllowedNamespacesIsBlockedAndAudited() {
    Map<String, String> prod = Map.of("kind", "service", "service", "checkout", "namespace", "prod");
    twoMinutesOfLatencyAndErrors("service:checkout", prod);

    assertThat(commands.commands()).isEmpty();
    AuditRecord blocked = audit.withDecision(AuditDecision.BLOCKED).get(0);
    assertThat(blocked.getReason()).startsWith("blocked: target not allowed");
    assertThat(blocked.getGuardrail()).isEqualTo(Reasons.NAMESPACE_NOT_ALLOWED);
  }

  @Test
  void aMissingLabelInTheTargetTemplateIsBlockedWithTheReason() {
    twoMinutesOfLatencyAndErrors("service:checkout", Map.of("kind", "service", "namespace", "shop"));

    assertThat(commands.commands()).isEmpty();
    assertThat(audit.withDecision(AuditDecision.BLOCKED).get(0).getReason()).contains("label 'service' is not set");
  }

  @Test
  void globalDryRunIssuesDryRunCommandsAndStops() {
    remediator = remediator(POLICIES, true);
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);

    assertThat(commands.last().getDryRun()).isTrue();
    var r = result(commands.last().getCommandId(), ActionStatus.SKIPPED, clock.instant(), Map.of());
    r.setDryRun(true);
    remediator.onResult(r);
    clock.advance(Duration.ofMinutes(6));
    remediator.tick();
    assertThat(commands.commands()).hasSize(1);
    assertThat(remediator.state().incidents()).extracting(i -> i.status)
        .containsExactly(IncidentRecord.Status.DRY_RUN);
  }

  @Test
  void policyDryRunFlagIssuesDryRuns() {
    remediator = remediator(POLICIES.replace("verifyWindow: 5m", "verifyWindow: 5m\n    dryRun: true"), false);
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);

    assertThat(commands.last().getDryRun()).isTrue();
    assertThat(commands.last().getReason()).contains("policy dry-run");
  }

  @Test
  void runtimeKillSwitchBlocks() {
    remediator.setKillSwitch(true);
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);

    assertThat(commands.commands()).isEmpty();
    assertThat(audit.withDecision(AuditDecision.BLOCKED).get(0).getGuardrail()).isEqualTo(Reasons.KILL_SWITCH);
  }

  @Test
  void heldStepIsRetriedOnTickOnceTheReasonIsGone() {
    remediator.setKillSwitch(true);
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);
    remediator.setKillSwitch(false);

    clock.advance(Duration.ofMinutes(1));
    remediator.tick();

    assertThat(commands.commands()).hasSize(1);
  }

  @Test
  void scalesFromTheLoadAgainstPerReplicaCapacity() {
    Map<String, String> api = Map.of("kind", "api", "service", "search", "namespace", "shop", "replicas", "3");
    remediator.onAnomaly(anomaly("api:search", "requests.rate", T0, Severity.HIGH, api,
        feature("requests.rate:mean", 540, 300.0)));

    ActionCommand c = commands.last();
    assertThat(c.getParams()).containsEntry("replicas", "6");
    assertThat(c.getReason()).contains("load requests.rate:mean=540.0 needs 6 replicas at 100.0 per replica");
  }

  @Test
  void predictiveScalingScalesAheadOfTheForecastPeakAndSaysSo() {
    Map<String, String> api = Map.of("kind", "api", "service", "search", "namespace", "shop", "replicas", "3");
    remediator.onAnomaly(anomaly("api:search", "requests.rate", T0, Severity.HIGH, api,
        feature("requests.rate:mean", 280, 720.0)));

    ActionCommand c = commands.last();
    assertThat(c.getParams()).containsEntry("replicas", "8");
    assertThat(c.getReason()).contains("predictive: the seasonal baseline forecasts requests.rate:mean=720.0")
        .contains("ahead of the peak");
  }

  @Test
  void consumesCorrelatorIncidentsByTheirId() {
    Incident inc = Incident.newBuilder().setIncidentId("inc-42").setState(IncidentState.OPEN).setRevision(0)
        .setSeverity(Severity.HIGH).setSummary("latency high on checkout").setEntities(List.of("service:checkout"))
        .setRootCause(new RootCauseCandidate("service:checkout", "latency.p99", 0.9, "first"))
        .setOpenedAt(T0).setUpdatedAt(T0.plusSeconds(90)).setAnomalyIds(List.of("a1", "a2")).setAnomalyCount(2)
        .setLabels(CHECKOUT).build();

    remediator.onIncident(inc);
    inc.setRevision(1);
    inc.setState(IncidentState.UPDATED);
    remediator.onIncident(inc);
    remediator.onIncident(inc); // the same revision again

    assertThat(commands.commands()).extracting(ActionCommand::getCommandId).containsExactly("inc-42#0");

    remediator.onResult(result("inc-42#0", ActionStatus.APPLIED, clock.instant(), Map.of()));
    inc.setRevision(2);
    inc.setState(IncidentState.RESOLVED);
    remediator.onIncident(inc);
    assertThat(audit.last().getDecision()).isEqualTo(AuditDecision.RESOLVED);
    assertThat(audit.last().getReason()).contains("the correlator resolved the incident");
  }

  @Test
  void stateSurvivesAChangelogRoundTrip() {
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);
    RemediatorState copy = new RemediatorState();
    remediator.state().drainChanges().forEach(copy::restore);

    Remediator restored = new Remediator(PolicyStore.fixed(PolicyLoader.load(Map.of("p.yaml", POLICIES))),
        GuardrailChain.standard(), copy, commands, audit, clock, metrics, Remediator.Settings.defaults());
    restored.onAnomaly(anomaly("service:checkout", "latency.p99", T0.plusSeconds(120), Severity.HIGH, CHECKOUT));

    assertThat(commands.commands()).as("the restored state knows the command was issued").hasSize(1);
    restored.onResult(result(commands.last().getCommandId(), ActionStatus.FAILED, clock.instant(), Map.of()));
    assertThat(commands.commands()).hasSize(2);
  }

  @Test
  void aQuietIncidentWithoutActionIsClosed() {
    remediator.setKillSwitch(true);
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);

    clock.advance(Duration.ofMinutes(11));
    remediator.tick();

    assertThat(audit.last().getDecision()).isEqualTo(AuditDecision.RESOLVED);
    assertThat(audit.last().getReason()).contains("cleared before any action");
    clock.advance(Duration.ofMinutes(11));
    remediator.tick();
    assertThat(remediator.state().incidents()).isEmpty();
  }

  static Instant at(int s) {
    return T0.plusSeconds(s);
  }

  @Test
  void aLateAnomalyOfAResolvedIncidentDoesNotReopenIt() {
    twoMinutesOfLatencyAndErrors("service:checkout", CHECKOUT);
    remediator.onResult(result(commands.last().getCommandId(), ActionStatus.APPLIED, clock.instant(), Map.of()));
    clock.advance(Duration.ofMinutes(5));
    remediator.tick();

    remediator.onAnomaly(anomaly("service:checkout", "cpu.utilization", T0, Severity.HIGH, CHECKOUT));

    assertThat(commands.commands()).hasSize(1);
  }
}
