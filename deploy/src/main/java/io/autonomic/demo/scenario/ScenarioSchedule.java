package io.autonomic.demo.scenario;

import io.autonomic.demo.fleet.ShopFleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios one after another in simulated time: after {@code warmup}, scenario i is injected at
 * {@code warmup + i * slot}; its self-ending part stops after its duration; at the end of its slot whatever is
 * left of it is cleaned up so the next one starts on a healthy fleet. Driven by the simulation's ticks.
 */
public final class ScenarioSchedule {
  /** What happened to a scenario in a tick. */
  public enum Phase { INJECTED, EXPIRED, SLOT_ENDED }

  /** A scenario changed phase at a simulated instant. */
  public record Event(Scenario scenario, Phase phase, Instant simTime) {}

  private final List<Scenario> scenarios;
  private final Instant start;
  private final Duration warmup;
  private final Duration slot;
  private final Phase[] done;

  public ScenarioSchedule(List<Scenario> scenarios, Instant start, Duration warmup, Duration slot) {
    for (Scenario s : scenarios) {
      if (s.duration().compareTo(slot) > 0) {
        throw new IllegalArgumentException("scenario " + s.name() + " lasts longer than its slot " + slot);
      }
    }
    this.scenarios = List.copyOf(scenarios);
    this.start = start;
    this.warmup = warmup;
    this.slot = slot;
    this.done = new Phase[scenarios.size()];
  }

  public List<Scenario> scenarios() {
    return scenarios;
  }

  /** Simulated instant scenario {@code i} is injected. */
  public Instant injectionTime(int i) {
    return start.plus(warmup).plus(slot.multipliedBy(i));
  }

  /** Simulated instant every slot has ended. */
  public Instant end() {
    return injectionTime(scenarios.size());
  }

  /** Simulated time the whole schedule takes. */
  public Duration length() {
    return Duration.between(start, end());
  }

  /** Applies what is due at {@code now} to the fleet and returns what changed, in order. */
  public List<Event> advance(Instant now, ShopFleet fleet) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario s = scenarios.get(i);
      Instant injected = injectionTime(i);
      if (done[i] == null && !now.isBefore(injected)) {
        s.inject(fleet);
        done[i] = Phase.INJECTED;
        events.add(new Event(s, Phase.INJECTED, now));
      }
      if (done[i] == Phase.INJECTED && !now.isBefore(injected.plus(s.duration()))) {
        if (s.selfEnding()) {
          s.expire(fleet);
        }
        done[i] = Phase.EXPIRED;
        events.add(new Event(s, Phase.EXPIRED, now));
      }
      if (done[i] == Phase.EXPIRED && !now.isBefore(injected.plus(slot))) {
        s.cleanUp(fleet);
        done[i] = Phase.SLOT_ENDED;
        events.add(new Event(s, Phase.SLOT_ENDED, now));
      }
    }
    return events;
  }

  /** Product of the load factors of the spikes active at {@code now}. */
  public double loadFactor(Instant now) {
    double f = 1;
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario s = scenarios.get(i);
      Instant from = injectionTime(i);
      if (!now.isBefore(from) && now.isBefore(from.plus(s.duration()))) {
        f *= s.loadFactor();
      }
    }
    return f;
  }
}
