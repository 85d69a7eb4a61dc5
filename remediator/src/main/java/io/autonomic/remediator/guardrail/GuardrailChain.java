package io.autonomic.remediator.guardrail;

import io.autonomic.avro.ActionKind;
import io.autonomic.remediator.policy.Glob;
import io.autonomic.remediator.policy.GuardrailSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guardrails in their order: the hard blocks first (kill switch, namespace allow-list, protected targets),
 * then the temporary suppressions (maintenance, silences, cooldown, rate limits), then the adjustments (replica
 * bounds, dry run, approval). The first stage that stops a proposal decides the audit reason.
 */
public final class GuardrailChain {
  private final List<Guardrail> stages;

  public GuardrailChain(List<Guardrail> stages) {
    this.stages = List.copyOf(stages);
  }

  /** The standard chain. */
  public static GuardrailChain standard() {
    return new GuardrailChain(List.of(new KillSwitch(), new NamespaceAllowList(), new ProtectedTargets(),
        new MaintenanceWindows(), new Silences(), new Cooldown(), new TargetRateLimit(), new GlobalRateLimit(),
        new ReplicaBounds(), new DryRun(), new Approval()));
  }

  public List<Guardrail> stages() {
    return stages;
  }

  public Verdict check(Proposal proposal, GuardContext context) {
    Proposal p = proposal;
    for (Guardrail g : stages) {
      Verdict v = g.check(p, context);
      if (v instanceof Verdict.Deny) {
        return v;
      }
      p = ((Verdict.Allow) v).proposal();
    }
    return Verdict.allow(p);
  }

  static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return (s / 60) + "m";
    }
    return (s / 3600) + "h";
  }

  /** Nothing at all while the kill switch is on. */
  public static final class KillSwitch implements Guardrail {
    @Override
    public String name() {
      return Reasons.KILL_SWITCH;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      if (c.killSwitch() || c.settings().killSwitch()) {
        return Verdict.block(name(), "blocked: kill switch is on (" + (c.killSwitch() ? "runtime switch"
            : "guardrails.killSwitch") + "); no automated action is taken");
      }
      return Verdict.allow(p);
    }
  }

  /** Acts only in namespaces on the allow-list (when there is one). */
  public static final class NamespaceAllowList implements Guardrail {
    @Override
    public String name() {
      return Reasons.NAMESPACE_NOT_ALLOWED;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      List<Glob> allowed = c.settings().allowedNamespaces();
      if (allowed.isEmpty() || p.namespace() == null || allowed.stream().anyMatch(g -> g.matches(p.namespace()))) {
        return Verdict.allow(p);
      }
      return Verdict.block(name(), "blocked: target not allowed: namespace '" + p.namespace()
          + "' of " + p.targetKey() + " is not in the allow-list " + allowed);
    }
  }

  /** Never touches protected targets. */
  public static final class ProtectedTargets implements Guardrail {
    @Override
    public String name() {
      return Reasons.PROTECTED_TARGET;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      for (Glob g : c.settings().protectedTargets()) {
        if (g.matches(p.targetKey())) {
          return Verdict.block(name(), "blocked: target not allowed: " + p.targetKey()
              + " is protected (pattern " + g + ")");
        }
      }
      return Verdict.allow(p);
    }
  }

  /** No action on targets inside a maintenance window. */
  public static final class MaintenanceWindows implements Guardrail {
    @Override
    public String name() {
      return Reasons.MAINTENANCE_WINDOW;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      for (GuardrailSettings.MaintenanceWindow w : c.settings().maintenance()) {
        if (w.covers(p.targetKey(), c.now())) {
          return Verdict.suppress(name(), "suppressed by maintenance window '" + w.name() + "' covering "
              + p.targetKey());
        }
      }
      return Verdict.allow(p);
    }
  }

  /** No action for silenced incidents. */
  public static final class Silences implements Guardrail {
    @Override
    public String name() {
      return Reasons.SILENCED;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      for (GuardrailSettings.Silence s : c.settings().silences()) {
        if (s.covers(p.observation().entityId(), p.observation().labels(), c.now())) {
          return Verdict.suppress(name(), "suppressed by silence '" + s.name() + "' until " + s.until()
              + (s.comment().isEmpty() ? "" : " (" + s.comment() + ")"));
        }
      }
      return Verdict.allow(p);
    }
  }

  /**
   * At most one action per target per cooldown, across incidents. An incident's own ladder is not held back by
   * its earlier step: it escalates only after its verification window, which is the wait that matters there.
   */
  public static final class Cooldown implements Guardrail {
    @Override
    public String name() {
      return Reasons.COOLDOWN;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      Duration cooldown = p.policy().cooldown() != null ? p.policy().cooldown() : c.settings().cooldown();
      Instant last = c.history().lastActionOn(p.targetKey(), p.incidentId());
      if (last != null && c.now().isBefore(last.plus(cooldown))) {
        return Verdict.suppress(name(), "suppressed by cooldown: " + p.targetKey() + " was acted on "
            + human(Duration.between(last, c.now())) + " ago (cooldown " + human(cooldown) + ")");
      }
      return Verdict.allow(p);
    }
  }

  /** At most N actions per target per period. */
  public static final class TargetRateLimit implements Guardrail {
    @Override
    public String name() {
      return Reasons.RATE_LIMIT_TARGET;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      GuardrailSettings s = c.settings();
      int n = c.history().actionsOn(p.targetKey(), c.now().minus(s.ratePeriod())).size();
      if (n >= s.perTargetLimit()) {
        return Verdict.suppress(name(), "suppressed by rate limit: " + n + " actions on " + p.targetKey()
            + " in the last " + human(s.ratePeriod()) + " (limit " + s.perTargetLimit() + ")");
      }
      return Verdict.allow(p);
    }
  }

  /** At most N actions in all per period. */
  public static final class GlobalRateLimit implements Guardrail {
    @Override
    public String name() {
      return Reasons.RATE_LIMIT_GLOBAL;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      GuardrailSettings s = c.settings();
      int n = c.history().allActions(c.now().minus(s.ratePeriod())).size();
      if (n >= s.globalLimit()) {
        return Verdict.suppress(name(), "suppressed by global rate limit: " + n + " actions in the last "
            + human(s.ratePeriod()) + " (limit " + s.globalLimit() + ")");
      }
      return Verdict.allow(p);
    }
  }

  /** SCALE stays within min..max replicas and moves by at most maxStep; a scale with nothing left is stopped. */
  public static final class ReplicaBounds implements Guardrail {
    @Override
    public String name() {
      return Reasons.REPLICA_BOUNDS;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      if (p.kind() != ActionKind.SCALE || !p.params().containsKey("replicas")) {
        return Verdict.allow(p);
      }
      GuardrailSettings s = c.settings();
      int wanted;
      try {
        wanted = Integer.parseInt(p.params().get("replicas").trim());
      } catch (NumberFormatException e) {
        return Verdict.block(name(), "blocked: replicas '" + p.params().get("replicas") + "' is not a number");
      }
      int target = Math.max(s.minReplicas(), Math.min(s.maxReplicas(), wanted));
      StringBuilder note = new StringBuilder();
      if (target != wanted) {
        note.append("; limited to ").append(target).append(" by replicas ").append(s.minReplicas()).append("..")
            .append(s.maxReplicas());
      }
      int current = p.currentReplicas();
      if (current >= 0) {
        int delta = target - current;
        if (Math.abs(delta) > s.maxStep()) {
          target = current + Integer.signum(delta) * s.maxStep();
          note.append("; step limited to ").append(s.maxStep()).append(" (").append(current).append(" -> ")
              .append(target).append(")");
        }
        if (target == current) {
          return Verdict.suppress(name(), "suppressed by replica bounds: " + p.targetKey() + " already runs "
              + current + " replicas (wanted " + wanted + ", bounds " + s.minReplicas() + ".." + s.maxReplicas()
              + ")");
        }
      }
      if (note.length() == 0) {
        return Verdict.allow(p);
      }
      Map<String, String> params = new LinkedHashMap<>(p.params());
      params.put("replicas", Integer.toString(target));
      return Verdict.allow(p.withParams(params, p.reason() + note));
    }
  }

  /** Destructive steps wait for a person. */
  public static final class Approval implements Guardrail {
    @Override
    public String name() {
      return Reasons.APPROVAL;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      boolean destructive = p.step().destructive() || c.settings().approvalKinds().contains(p.kind());
      return Verdict.allow(destructive && !p.dryRun() ? p.withApproval() : p);
    }
  }

  /** The global switch and the policy's and step's flags turn the command into a dry run. */
  public static final class DryRun implements Guardrail {
    @Override
    public String name() {
      return Reasons.DRY_RUN;
    }

    @Override
    public Verdict check(Proposal p, GuardContext c) {
      if (p.dryRun()) {
        return Verdict.allow(p);
      }
      String why = c.globalDryRun() ? "global dry-run" : p.policy().dryRun() ? "policy dry-run"
          : p.step().dryRun() ? "step dry-run" : null;
      return why == null ? Verdict.allow(p) : Verdict.allow(p.withDryRun(p.reason() + " [dry run: " + why + "]"));
    }
  }
}
