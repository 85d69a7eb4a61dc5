package io.autonomic.demo.sim;

import io.autonomic.demo.scenario.Scenario;
import io.autonomic.demo.scenario.Scenarios;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a demo run maps onto time: a tick of {@code step} simulated time every {@code period} of real time (so
 * simulated time runs {@code step / period} times faster), a warm-up for the detector to learn the baseline,
 * then one slot per scenario. All durations except {@code period} are simulated time.
 *
 * @param simStart  simulated instant of the first tick
 * @param step      simulated time per tick
 * @param period    real time per tick
 * @param warmup    quiet time before the first fault
 * @param slot      time per scenario (fault, remediation, recovery, quiet)
 * @param dayLength length of the load's daily cycle
 * @param scenarios what to inject, in order
 */
public record DemoPlan(Instant simStart, Duration step, Duration period, Duration warmup, Duration slot,
    Duration dayLength, List<Scenario> scenarios) {
  /** Default simulated time per tick. */
  public static final Duration STEP = Duration.ofSeconds(10);
  /** Default real time per tick: 20x compression. */
  public static final Duration PERIOD = Duration.ofMillis(500);

  public DemoPlan {
    scenarios = List.copyOf(scenarios);
  }

  /**
   * A plan that fits {@code total} real time: a fifth of it (at least 40 s) of warm-up, the rest split evenly
   * between the selected scenarios, each fault lasting 60% of its slot; one simulated day over the whole run.
   *
   * @param scenarioSpec {@code all} or comma-separated scenario names
   */
  public static DemoPlan fitting(Duration total, String scenarioSpec, Instant simStart) {
    return fitting(total, scenarioSpec, simStart, PERIOD);
  }

  /** {@link #fitting(Duration, String, Instant)} with {@code period} of real time per tick. */
  public static DemoPlan fitting(Duration total, String scenarioSpec, Instant simStart, Duration period) {
    double speed = (double) STEP.toMillis() / period.toMillis();
    Duration warmupReal = max(Duration.ofSeconds(40), total.dividedBy(5));
    int n = Scenarios.select(scenarioSpec, Duration.ZERO).size();
    Duration slotReal = total.minus(warmupReal).dividedBy(Math.max(1, n));
    if (slotReal.compareTo(Duration.ofSeconds(20)) < 0) {
      throw new IllegalArgumentException("--duration " + total.toSeconds() + "s is too short for " + n
          + " scenarios: give each at least 20 s after a 40 s warm-up");
    }
    Duration slot = scale(slotReal, speed);
    Duration faultLength = slot.multipliedBy(6).dividedBy(10);
    List<Scenario> scenarios = Scenarios.select(scenarioSpec, faultLength);
    return new DemoPlan(simStart, STEP, period, scale(warmupReal, speed), slot, scale(total, speed), scenarios);
  }

  /** Simulated time per real time. */
  public double speed() {
    return (double) step.toMillis() / period.toMillis();
  }

  /** Real time the whole schedule takes. */
  public Duration realLength() {
    return Duration.ofMillis(Math.round(warmup.plus(slot.multipliedBy(scenarios.size())).toMillis() / speed()));
  }

  private static Duration scale(Duration d, double factor) {
    return Duration.ofMillis(Math.round(d.toMillis() * factor));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
