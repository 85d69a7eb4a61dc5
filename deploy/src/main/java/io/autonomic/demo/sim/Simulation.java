package io.autonomic.demo.sim;

import io.autonomic.demo.fleet.FleetSample;
import io.autonomic.demo.fleet.LoadGenerator;
import io.autonomic.demo.fleet.ShopFleet;
import io.autonomic.demo.scenario.ScenarioSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The shop, its load and its fault schedule advanced together, one tick of simulated time at a time. Plain and
 * deterministic: the same seed gives the same ticks; {@link FleetSimulator} paces it in real time.
 *
 * <p>Two clocks: the fleet's physics (load shape, leaks, fault schedule) runs on simulated time, {@code step} per
 * tick; the telemetry is stamped, once {@link #stampFrom} was called, with the tick's real instant
 * ({@code start + index × period}), as an agent on a real host would. Simulated time runs 20× faster than the
 * wall clock, so stamping it would put event times far ahead of every other clock in the loop: brokers reject
 * records stamped more than an hour ahead, the streams apps distrust event times 15 min ahead, and the
 * remediator's MTTD and MTTR (detection and resolution on the wall clock minus the anomaly's event-time onset)
 * would come out negative.
 */
public final class Simulation {
  /**
   * One tick: its simulated instant, the offered load, the schedule's changes, the fleet's telemetry and the
   * instant that telemetry is stamped with (its event time).
   */
  public record Tick(long index, Instant simTime, double load, List<ScenarioSchedule.Event> events,
      FleetSample sample, Instant stamp) {}

  private final ShopFleet fleet;
  private final LoadGenerator load;
  private final ScenarioSchedule schedule;
  private final Instant simStart;
  private final Duration step;
  private long index;
  private Instant stampStart;
  private Duration stampPeriod;

  public Simulation(ShopFleet fleet, LoadGenerator load, ScenarioSchedule schedule, Instant simStart,
      Duration step) {
    this.fleet = fleet;
    this.load = load;
    this.schedule = schedule;
    this.simStart = simStart;
    this.step = step;
  }

  /** Builds the demo's simulation from a plan and a seed. */
  public static Simulation of(DemoPlan plan, long seed) {
    ShopFleet fleet = ShopFleet.shop(seed);
    LoadGenerator load = new LoadGenerator(ShopFleet.SHOP_BASE_LOAD, 0.25, plan.dayLength(), plan.simStart(),
        0.03, seed ^ 0x5DEECE66DL);
    ScenarioSchedule schedule = new ScenarioSchedule(plan.scenarios(), plan.simStart(), plan.warmup(),
        plan.slot());
    return new Simulation(fleet, load, schedule, plan.simStart(), plan.step());
  }

  public ShopFleet fleet() {
    return fleet;
  }

  public ScenarioSchedule schedule() {
    return schedule;
  }

  /**
   * From now on, stamps tick {@code i}'s telemetry with {@code start + i × period} (real time) instead of its
   * simulated instant.
   */
  public void stampFrom(Instant start, Duration period) {
    this.stampStart = start.minus(period.multipliedBy(index));
    this.stampPeriod = period;
  }

  /** Simulated instant of the next tick. */
  public Instant now() {
    return simStart.plus(step.multipliedBy(index));
  }

  /** Whether the last tick reached the end of the last scenario's slot (so every slot has been cleaned up). */
  public boolean finished() {
    return index > 0 && !simStart.plus(step.multipliedBy(index - 1)).isBefore(schedule.end());
  }

  /** Advances one tick. */
  public Tick step() {
    Instant t = now();
    List<ScenarioSchedule.Event> events = schedule.advance(t, fleet);
    double offered = load.next(t) * schedule.loadFactor(t);
    Instant stamp = stampStart == null ? t : stampStart.plus(stampPeriod.multipliedBy(index));
    FleetSample sample = fleet.tick(stamp, step, offered);
    return new Tick(index++, t, offered, events, sample, stamp);
  }
}
