package io.autonomic.remediator.guardrail;

import static io.autonomic.remediator.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionKind;
import io.autonomic.avro.AuditDecision;
import io.autonomic.avro.Severity;
import io.autonomic.remediator.core.RemediatorState;
import io.autonomic.remediator.policy.Glob;
import io.autonomic.remediator.policy.GuardrailSettings;
import io.autonomic.remediator.policy.Observation;
import io.autonomic.remediator.policy.Policy;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardrailChainTest {
  static final Policy.TargetTemplate TARGET = new Policy.TargetTemplate("Deployment", "shop", "checkout");
  static final Policy.Step RESTART = step(ActionKind.ROLLOUT_RESTART, false, false);
  static final Policy.Step SCALE = step(ActionKind.SCALE, false, false);
  static final Policy POLICY = policy(false);

  final RemediatorState history = new RemediatorState();
  final GuardrailChain chain = GuardrailChain.standard();

  static Policy.Step step(ActionKind kind, boolean destructive, boolean dryRun) {
    return new Policy.Step(0, kind, null, Map.of(), kind == ActionKind.SCALE ? 50 : null, null, null, false,
        destructive, dryRun);
  }

  static Policy policy(boolean dryRun) {
    return new Policy("checkout", "p.yaml:1", dryRun, new Policy.Match(Set.of(), Map.of(), List.of(), Severity.INFO,
        Duration.ZERO), TARGET, null, Duration.ofMinutes(5), Duration.ofMinutes(10), List.of(RESTART, SCALE));
  }

  static Proposal proposal(String incident, Policy.Step step, String namespace, Map<String, String> params,
      int current) {
    Observation obs = new Observation("service:checkout", "service", Map.of("service", "checkout"), Set.of("latency"),
        Severity.HIGH, T0, T0.plusSeconds(60), Map.of());
    return new Proposal(incident, incident + "#0", POLICY, step, step.action(), "Deployment", namespace, "checkout",
        params, current, "because", false, obs, false, false);
  }

  static Proposal restart() {
    return proposal("inc-1", RESTART, "shop", Map.of(), -1);
  }

  GuardContext ctx(GuardrailSettings s) {
    return new GuardContext(T0, s, history, false, false);
  }

  static GuardrailSettings settings() {
    return GuardrailSettings.defaults();
  }

  static GuardrailSettings with(java.util.function.UnaryOperator<Builder> f) {
    return f.apply(new Builder()).build();
  }

  /** A small builder over the record so each test changes one setting. */
  static final class Builder {
    GuardrailSettings d = GuardrailSettings.defaults();
    boolean kill = d.killSwitch();
    List<Glob> ns = d.allowedNamespaces();
    List<Glob> prot = d.protectedTargets();
    Duration cooldown = d.cooldown();
    int perTarget = d.perTargetLimit();
    int global = d.globalLimit();
    int min = d.minReplicas();
    int max = d.maxReplicas();
    int maxStep = d.maxStep();
    List<GuardrailSettings.MaintenanceWindow> mw = List.of();
    List<GuardrailSettings.Silence> silences = List.of();

    GuardrailSettings build() {
      return new GuardrailSettings(kill, ns, prot, cooldown, perTarget, global, d.ratePeriod(), min, max, maxStep,
          d.approvalKinds(), d.approvalTtl(), mw, silences);
    }
  }

  static Verdict.Deny denied(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Deny.class);
    return (Verdict.Deny) v;
  }

  static Proposal allowed(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Allow.class);
    return ((Verdict.Allow) v).proposal();
  }

  @Test
  void allowsAPlainRestart() {
    Proposal p = allowed(chain.check(restart(), ctx(settings())));

    assertThat(p.dryRun()).isFalse();
    assertThat(p.needsApproval()).isFalse();
  }

  @Test
  void killSwitchInTheSettingsBlocksEverything() {
    Verdict.Deny d = denied(chain.check(restart(), ctx(with(b -> {
      b.kill = true;
      return b;
    }))));

    assertThat(d.decision()).isEqualTo(AuditDecision.BLOCKED);
    assertThat(d.guardrail()).isEqualTo(Reasons.KILL_SWITCH);
  }

  @Test
  void runtimeKillSwitchBlocksEverything() {
    Verdict.Deny d = denied(chain.check(restart(), new GuardContext(T0, settings(), history, true, false)));

    assertThat(d.guardrail()).isEqualTo(Reasons.KILL_SWITCH);
    assertThat(d.reason()).contains("runtime switch");
  }

  @Test
  void namespaceOutsideTheAllowListIsBlocked() {
    GuardrailSettings s = with(b -> {
      b.ns = List.of(Glob.of("staging"), Glob.of("team-*"));
      return b;
    });

    Verdict.Deny d = denied(chain.check(restart(), ctx(s)));
    assertThat(d.decision()).isEqualTo(AuditDecision.BLOCKED);
    assertThat(d.guardrail()).isEqualTo(Reasons.NAMESPACE_NOT_ALLOWED);
    assertThat(d.reason()).startsWith("blocked: target not allowed: namespace 'shop'");

    allowed(chain.check(proposal("inc-1", RESTART, "team-a", Map.of(), -1), ctx(s)));
  }

  @Test
  void protectedTargetIsBlocked() {
    Verdict.Deny d = denied(chain.check(restart(), ctx(with(b -> {
      b.prot = List.of(Glob.of("Deployment/shop/check*"));
      return b;
    }))));

    assertThat(d.guardrail()).isEqualTo(Reasons.PROTECTED_TARGET);
    assertThat(d.reason()).startsWith("blocked: target not allowed: Deployment/shop/checkout is protected");
  }

  @Test
  void weeklyMaintenanceWindowSuppressesInsideAndNotOutside() {
    // T0 is a Thursday 10:00 UTC.
    GuardrailSettings.MaintenanceWindow w = new GuardrailSettings.MaintenanceWindow("thursday", List.of(), null, null,
        Set.of(DayOfWeek.THURSDAY), LocalTime.of(9, 0), LocalTime.of(11, 0), ZoneOffset.UTC);
    GuardrailSettings s = with(b -> {
      b.mw = List.of(w);
      return b;
    });

    Verdict.Deny d = denied(chain.check(restart(), ctx(s)));
    assertThat(d.decision()).isEqualTo(AuditDecision.SUPPRESSED);
    assertThat(d.guardrail()).isEqualTo(Reasons.MAINTENANCE_WINDOW);

    allowed(chain.check(restart(), new GuardContext(T0.plus(Duration.ofHours(2)), s, history, false, false)));
  }

  @Test
  void oneOffMaintenanceWindowCoversOnlyItsTargets() {
    GuardrailSettings.MaintenanceWindow w = new GuardrailSettings.MaintenanceWindow("upgrade",
        List.of(Glob.of("*/payments/*")), T0.minusSeconds(60), T0.plusSeconds(60), Set.of(), null, null, null);
    GuardrailSettings s = with(b -> {
      b.mw = List.of(w);
      return b;
    });

    allowed(chain.check(restart(), ctx(s)));
    denied(chain.check(proposal("inc-1", RESTART, "payments", Map.of(), -1), ctx(s)));
  }

  @Test
  void silenceSuppressesMatchingIncidentsUntilItEnds() {
    GuardrailSettings.Silence silence = new GuardrailSettings.Silence("known", Map.of("service", Glob.of("check*")),
        T0.plusSeconds(600), "JIRA-1");
    GuardrailSettings s = with(b -> {
      b.silences = List.of(silence);
      return b;
    });

    Verdict.Deny d = denied(chain.check(restart(), ctx(s)));
    assertThat(d.guardrail()).isEqualTo(Reasons.SILENCED);
    assertThat(d.reason()).contains("JIRA-1");

    allowed(chain.check(restart(), new GuardContext(T0.plusSeconds(600), s, history, false, false)));
  }

  @Test
  void cooldownSuppressesAnotherIncidentOnTheSameTarget() {
    history.recordAction("Deployment/shop/checkout", "inc-0", T0.minusSeconds(120), Duration.ofHours(1));

    Verdict.Deny d = denied(chain.check(restart(), ctx(settings())));

    assertThat(d.decision()).isEqualTo(AuditDecision.SUPPRESSED);
    assertThat(d.guardrail()).isEqualTo(Reasons.COOLDOWN);
    assertThat(d.reason()).isEqualTo(
        "suppressed by cooldown: Deployment/shop/checkout was acted on 2m ago (cooldown 10m)");
  }

  @Test
  void cooldownEndsAfterItsDuration() {
    history.recordAction("Deployment/shop/checkout", "inc-0", T0.minus(Duration.ofMinutes(10)), Duration.ofHours(1));

    allowed(chain.check(restart(), ctx(settings())));
  }

  @Test
  void cooldownDoesNotHoldBackTheSameIncidentsLadder() {
    history.recordAction("Deployment/shop/checkout", "inc-1", T0.minusSeconds(120), Duration.ofHours(1));

    allowed(chain.check(restart(), ctx(settings())));
  }

  @Test
  void perTargetRateLimitSuppressesTheNthAction() {
    GuardrailSettings s = with(b -> {
      b.cooldown = Duration.ZERO;
      b.perTarget = 2;
      return b;
    });
    history.recordAction("Deployment/shop/checkout", "inc-a", T0.minus(Duration.ofMinutes(50)), Duration.ofHours(1));
    history.recordAction("Deployment/shop/checkout", "inc-b", T0.minus(Duration.ofMinutes(20)), Duration.ofHours(1));

    Verdict.Deny d = denied(chain.check(restart(), ctx(s)));

    assertThat(d.guardrail()).isEqualTo(Reasons.RATE_LIMIT_TARGET);
    assertThat(d.reason()).contains("2 actions on Deployment/shop/checkout in the last 60m (limit 2)");
    // an hour after the first one, one slot is free again
    allowed(chain.check(restart(), new GuardContext(T0.plus(Duration.ofMinutes(11)), s, history, false, false)));
  }

  @Test
  void globalRateLimitCountsEveryTarget() {
    GuardrailSettings s = with(b -> {
      b.global = 2;
      return b;
    });
    history.recordAction("Deployment/shop/cart", "inc-a", T0.minusSeconds(30), Duration.ofHours(1));
    history.recordAction("Deployment/shop/search", "inc-b", T0.minusSeconds(20), Duration.ofHours(1));

    Verdict.Deny d = denied(chain.check(restart(), ctx(s)));

    assertThat(d.guardrail()).isEqualTo(Reasons.RATE_LIMIT_GLOBAL);
  }

  @Test
  void replicaBoundsClampToMaxAndToTheMaximumStep() {
    GuardrailSettings s = with(b -> {
      b.max = 8;
      b.maxStep = 2;
      return b;
    });

    Proposal p = allowed(chain.check(proposal("inc-1", SCALE, "shop", Map.of("replicas", "12"), 4), ctx(s)));

    assertThat(p.params()).containsEntry("replicas", "6");
    assertThat(p.reason()).contains("limited to 8 by replicas 1..8").contains("step limited to 2 (4 -> 6)");
  }

  @Test
  void replicaBoundsKeepTheMinimumWhenScalingIn() {
    GuardrailSettings s = with(b -> {
      b.min = 2;
      return b;
    });

    Proposal p = allowed(chain.check(proposal("inc-1", SCALE, "shop", Map.of("replicas", "0"), 3), ctx(s)));

    assertThat(p.params()).containsEntry("replicas", "2");
  }

  @Test
  void replicaBoundsSuppressAScaleWithNothingLeftToDo() {
    GuardrailSettings s = with(b -> {
      b.max = 4;
      return b;
    });

    Verdict.Deny d = denied(chain.check(proposal("inc-1", SCALE, "shop", Map.of("replicas", "6"), 4), ctx(s)));

    assertThat(d.guardrail()).isEqualTo(Reasons.REPLICA_BOUNDS);
    assertThat(d.reason()).contains("already runs 4 replicas");
  }

  @Test
  void destructiveStepsNeedApproval() {
    Proposal p = allowed(chain.check(proposal("inc-1", step(ActionKind.DELETE_POD, false, false), "shop", Map.of(),
        -1), ctx(settings())));

    assertThat(p.needsApproval()).as("DELETE_POD is an approval kind by default").isTrue();

    Proposal q = allowed(chain.check(proposal("inc-1", step(ActionKind.RESTART, true, false), "shop", Map.of(), -1),
        ctx(settings())));
    assertThat(q.needsApproval()).as("a step marked destructive").isTrue();
  }

  @Test
  void globalDryRunMarksTheCommandAndNeedsNoApproval() {
    Proposal p = allowed(chain.check(proposal("inc-1", step(ActionKind.FAILOVER, false, false), "shop", Map.of(), -1),
        new GuardContext(T0, settings(), history, false, true)));

    assertThat(p.dryRun()).isTrue();
    assertThat(p.needsApproval()).isFalse();
    assertThat(p.reason()).contains("[dry run: global dry-run]");
  }

  @Test
  void stepDryRunFlagMarksTheCommand() {
    Proposal p = allowed(chain.check(proposal("inc-1", step(ActionKind.RESTART, false, true), "shop", Map.of(), -1),
        ctx(settings())));

    assertThat(p.dryRun()).isTrue();
    assertThat(p.reason()).contains("step dry-run");
  }

  @Test
  void theFirstStageToStopDecides() {
    GuardrailSettings s = with(b -> {
      b.kill = true;
      b.prot = List.of(Glob.of("*"));
      return b;
    });

    assertThat(denied(chain.check(restart(), ctx(s))).guardrail()).isEqualTo(Reasons.KILL_SWITCH);
  }

  @Test
  void stagesAreInTheDocumentedOrder() {
    assertThat(chain.stages()).extracting(Guardrail::name).containsExactly(Reasons.KILL_SWITCH,
        Reasons.NAMESPACE_NOT_ALLOWED, Reasons.PROTECTED_TARGET, Reasons.MAINTENANCE_WINDOW, Reasons.SILENCED,
        Reasons.COOLDOWN, Reasons.RATE_LIMIT_TARGET, Reasons.RATE_LIMIT_GLOBAL, Reasons.REPLICA_BOUNDS,
        Reasons.DRY_RUN, Reasons.APPROVAL);
  }

  static Instant at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }
}
