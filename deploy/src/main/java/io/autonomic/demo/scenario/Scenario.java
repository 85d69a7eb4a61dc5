package io.autonomic.demo.scenario;

import io.autonomic.demo.fleet.ShopFleet;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One fault, as data: what it does, to which target, how strongly and for how long, and which services it is
 * expected to disturb (where the timeline looks for detection, actions and recovery).
 *
 * @param name      short name used on the command line, e.g. memory-leak
 * @param kind      what is injected
 * @param target    the service or replica it is injected into (e.g. checkout or checkout-1)
 * @param magnitude the strength, in the unit of the kind (load factor, MB/s, error ratio, ms)
 * @param duration  simulated time the fault lasts unless remediated; spikes and slow dependencies end by
 *                  themselves after it, the others are cleaned up at the end of the scenario's slot
 * @param affected  services whose telemetry the fault disturbs
 * @param title     one line for people
 */
public record Scenario(String name, FaultKind kind, String target, double magnitude, Duration duration,
    List<String> affected, String title) {
  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    affected = List.copyOf(affected);
  }

  /** The load factor this fault applies to the offered load while it is active. */
  public double loadFactor() {
    return kind == FaultKind.TRAFFIC_SPIKE ? magnitude : 1.0;
  }

  /** Injects the fault into the fleet (a spike only changes the load factor). */
  public void inject(ShopFleet fleet) {
    switch (kind) {
      case MEMORY_LEAK -> fleet.injectLeak(target, magnitude);
      case BAD_DEPLOY -> fleet.deployBadRelease(target, "v2", magnitude);
      case DEAD_REPLICA -> fleet.kill(target);
      case SLOW_DEPENDENCY -> fleet.slowDown(target, magnitude);
      case TRAFFIC_SPIKE -> { }
    }
  }

  /** Ends the part of the fault that stops by itself after {@link #duration} (spike, slow dependency). */
  public void expire(ShopFleet fleet) {
    if (kind == FaultKind.SLOW_DEPENDENCY) {
      fleet.clearSlowDown(target);
    }
  }

  /** Whether the fault stops by itself after its duration. */
  public boolean selfEnding() {
    return kind == FaultKind.TRAFFIC_SPIKE || kind == FaultKind.SLOW_DEPENDENCY;
  }

  /**
   * Removes whatever is left of the fault and scales services back up to their initial size if they were below
   * it, so the next scenario starts on a healthy fleet (not a remediation). Scale-outs are kept (see
   * {@link ShopFleet#restoreMinimumReplicas}).
   */
  public void cleanUp(ShopFleet fleet) {
    String service = ShopFleet.serviceOf(target) != null ? ShopFleet.serviceOf(target) : target;
    fleet.clearFaults(service);
    fleet.restoreMinimumReplicas();
  }
}
