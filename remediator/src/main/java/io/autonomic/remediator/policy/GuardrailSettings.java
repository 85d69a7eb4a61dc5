package io.autonomic.remediator.policy;

import io.autonomic.avro.ActionKind;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The global guardrail settings, from the {@code guardrails:} section of the policy directory (hot-reloaded
 * with the policies).
 *
 * @param killSwitch        when true nothing is issued at all
 * @param allowedNamespaces globs; when non-empty, namespaced targets outside them are blocked
 * @param protectedTargets  globs on {@code kind/namespace/name}; matching targets are never acted on
 * @param cooldown          default minimum time between two actions on one target
 * @param perTargetLimit    at most this many actions per target per {@code ratePeriod}
 * @param globalLimit       at most this many actions in all per {@code ratePeriod}
 * @param ratePeriod        the rate limit period
 * @param minReplicas       SCALE never goes below this
 * @param maxReplicas       SCALE never goes above this
 * @param maxStep           SCALE changes replicas by at most this much per action
 * @param approvalKinds     actions that are destructive by default and need approval
 * @param approvalTtl       how long a command waits for approval before it expires
 * @param maintenance       maintenance windows: no actions on matching targets inside them
 * @param silences          silences: no actions for matching incidents until they end
 */
public record GuardrailSettings(boolean killSwitch, List<Glob> allowedNamespaces, List<Glob> protectedTargets,
    Duration cooldown, int perTargetLimit, int globalLimit, Duration ratePeriod, int minReplicas, int maxReplicas,
    int maxStep, Set<ActionKind> approvalKinds, Duration approvalTtl, List<MaintenanceWindow> maintenance,
    List<Silence> silences) {

  public static GuardrailSettings defaults() {
    return new GuardrailSettings(false, List.of(), List.of(), Duration.ofMinutes(10), 3, 30, Duration.ofHours(1),
        1, 20, 5, Set.of(ActionKind.DELETE_POD, ActionKind.FAILOVER), Duration.ofMinutes(30), List.of(), List.of());
  }

  /**
   * A maintenance window: either one-off ({@code start}..{@code end}) or weekly ({@code days} from..to in a zone).
   *
   * @param name    name for the audit
   * @param targets globs on {@code kind/namespace/name}; empty means every target
   */
  public record MaintenanceWindow(String name, List<Glob> targets, Instant start, Instant end, Set<DayOfWeek> days,
      LocalTime from, LocalTime to, ZoneId zone) {

    public boolean covers(String targetKey, Instant now) {
      if (!targets.isEmpty() && targets.stream().noneMatch(g -> g.matches(targetKey))) {
        return false;
      }
      if (start != null) {
        return !now.isBefore(start) && now.isBefore(end);
      }
      ZonedDateTime t = now.atZone(zone);
      LocalTime time = t.toLocalTime();
      boolean inTime = from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to)
          : !time.isBefore(from) || time.isBefore(to); // a window across midnight
      return inTime && (days.isEmpty() || days.contains(t.getDayOfWeek()));
    }
  }

  /**
   * A silence: incidents whose labels match all matchers get no actions until {@code until}.
   *
   * @param matchers label globs (the pseudo-label {@code entity} is the entity id)
   */
  public record Silence(String name, Map<String, Glob> matchers, Instant until, String comment) {
    public boolean covers(String entityId, Map<String, String> labels, Instant now) {
      if (!now.isBefore(until)) {
        return false;
      }
      for (Map.Entry<String, Glob> m : matchers.entrySet()) {
        String v = m.getKey().equals("entity") ? entityId : labels.get(m.getKey());
        if (!m.getValue().matches(v)) {
          return false;
        }
      }
      return true;
    }
  }
}
