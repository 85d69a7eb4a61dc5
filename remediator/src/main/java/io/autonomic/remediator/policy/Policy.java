package io.autonomic.remediator.policy;

import io.autonomic.avro.ActionKind;
import io.autonomic.avro.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One remediation policy: what it matches and the ladder of actions it tries, each step when the previous
 * one did not fix the problem.
 *
 * @param name         unique name, part of every command id it issues
 * @param source       file:line it was defined at
 * @param dryRun       when true, every command of this policy is issued as a dry run
 * @param match        what incidents it applies to
 * @param target       the default target of its steps (templates)
 * @param cooldown     minimum time between two actions on one target; null for the global default
 * @param verifyWindow how long to watch the target after an applied action before calling it fixed
 * @param groupWindow  anomalies of one entity closer than this together form one incident
 * @param ladder       the escalation ladder, step 0 first
 */
public record Policy(String name, String source, boolean dryRun, Match match, TargetTemplate target,
    Duration cooldown, Duration verifyWindow, Duration groupWindow, List<Step> ladder) {

  /**
   * What a policy applies to. Empty collections match anything.
   *
   * @param entityKinds entity kinds (see {@link Observation#kindOf})
   * @param labels      labels that must be present with these values
   * @param signals     globs; at least one anomalous metric or feature must match one
   * @param minSeverity lowest severity acted on
   * @param forAtLeast  how long the condition must have lasted
   */
  public record Match(Set<String> entityKinds, Map<String, String> labels, List<Glob> signals,
      Severity minSeverity, Duration forAtLeast) {

    /** Whether the observation matches everything but the duration. */
    public boolean matches(Observation o) {
      if (!entityKinds.isEmpty() && !entityKinds.contains(o.entityKind())) {
        return false;
      }
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!e.getValue().equals(o.labels().get(e.getKey()))) {
          return false;
        }
      }
      if (o.severity().ordinal() < minSeverity.ordinal()) {
        return false;
      }
      return signals.isEmpty() || o.signals().stream().anyMatch(s -> signals.stream().anyMatch(g -> g.matches(s)));
    }
  }

  /** Target templates: {@code ${entity}}, {@code ${label:KEY}} are replaced from the observation. */
  public record TargetTemplate(String kind, String namespace, String name) {}

  /**
   * How many replicas a SCALE step asks for when computed from the load.
   *
   * @param feature    the load feature, e.g. {@code requests.rate:mean}
   * @param perReplica load one replica can carry
   */
  public record Capacity(String feature, double perReplica) {}

  /**
   * One step of the ladder.
   *
   * @param index           position in the ladder, from 0
   * @param action          what to do
   * @param target          target override, or null for the policy's target
   * @param params          parameters (templates allowed: {@code ${feature:NAME}}, {@code ${label:KEY}} ...)
   * @param scaleOutPercent SCALE: grow the current replicas by this percentage (rounded up, at least +1)
   * @param maxReplicas     SCALE: never ask for more than this
   * @param capacity        SCALE: compute replicas from the load against the per-replica capacity
   * @param predictive      SCALE with capacity: also scale out when the forecast exceeds capacity
   * @param destructive     whether the step needs a person's approval first
   * @param dryRun          issue this step as a dry run
   */
  public record Step(int index, ActionKind action, TargetTemplate target, Map<String, String> params,
      Integer scaleOutPercent, Integer maxReplicas, Capacity capacity, boolean predictive, boolean destructive,
      boolean dryRun) {}
}
