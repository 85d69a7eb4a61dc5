package io.autonomic.demo.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the timeline saw of one injected fault. Times are the observer's clock. */
public final class FaultRecord {
  /** An action the remediator took on one of the fault's services. */
  public record Action(Instant at, String commandId, String kind, String target, String status) {}

  private final Scenario scenario;
  Instant injected;
  /** Event time of the first telemetry the fault shaped: evidence from windows ending before it is not its. */
  Instant injectedEventTime;
  Instant detected;
  String detectedBy;
  Instant recovered;
  Instant ended;
  boolean disturbed;
  int inBandStreak;
  /** Replicas of each affected service that reported just before the injection. */
  final java.util.Map<String, Integer> replicasBefore = new java.util.HashMap<>();
  final List<Action> actions = new ArrayList<>();

  FaultRecord(Scenario scenario) {
    this.scenario = scenario;
  }

  public Scenario scenario() {
    return scenario;
  }

  public Instant injected() {
    return injected;
  }

  public Instant detected() {
    return detected;
  }

  /** The first evidence, e.g. "anomaly on shop/checkout-1 system.memory.utilization (0.93)". */
  public String detectedBy() {
    return detectedBy;
  }

  public Instant recovered() {
    return recovered;
  }

  /** When the fault's slot ended and whatever was left of it was cleaned up; null while it runs. */
  public Instant ended() {
    return ended;
  }

  public List<Action> actions() {
    return List.copyOf(actions);
  }

  /** The first action on the fault's services, if any. */
  public Action firstAction() {
    return actions.isEmpty() ? null : actions.get(0);
  }

  /** Whether an action on the fault's services was APPLIED. */
  public boolean remediated() {
    return actions.stream().anyMatch(a -> "APPLIED".equals(a.status()));
  }

  /** Time to detect: injection to the first anomaly or incident; null when not detected. */
  public Duration mttd() {
    return injected == null || detected == null ? null : Duration.between(injected, detected);
  }

  /**
   * Time to recover: injection to metrics back within the baseline after an applied action; null when not
   * recovered.
   */
  public Duration mttr() {
    return injected == null || recovered == null ? null : Duration.between(injected, recovered);
  }

  /** The pass rule: detected, an action applied, and recovered. */
  public boolean passed() {
    return detected != null && remediated() && recovered != null;
  }
}
