package io.autonomic.demo.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.demo.fleet.FleetSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void pacesTheSimulationPublishesEveryTickAndStopsAtTheEnd() throws Exception {
    DemoPlan fitting = DemoPlan.fitting(Duration.ofMinutes(1), "memory-leak", T0);
    // the same plan at 10 ms per tick: 60 s of demo in about a second
    DemoPlan fast = new DemoPlan(T0, fitting.step(), Duration.ofMillis(10), fitting.warmup(), fitting.slot(),
        fitting.dayLength(), fitting.scenarios());
    List<FleetSample> published = new CopyOnWriteArrayList<>();
    List<Long> ticks = new CopyOnWriteArrayList<>();
    boolean[] closed = {false};
    TelemetrySink sink = new TelemetrySink() {
      @Override
      public void publish(FleetSample sample) {
        published.add(sample);
      }

      @Override
      public void close() {
        closed[0] = true;
      }
    };
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    try (FleetSimulator sim = new FleetSimulator(Simulation.of(fast, 3), sink, fast, clock,
        (wall, tick) -> ticks.add(tick.index())).start()) {
      assertThat(sim.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
    }
    long expected = fast.warmup().plus(fast.slot()).toMillis() / fast.step().toMillis() + 1;
    assertThat(ticks).hasSize((int) expected).startsWith(0L, 1L, 2L);
    assertThat(published).hasSize((int) expected);
    assertThat(closed[0]).isTrue();
  }

  @Test
  void closingStopsTheTicksAndReleasesAWaiter() throws Exception {
    DemoPlan plan = DemoPlan.fitting(Duration.ofMinutes(1), "memory-leak", T0);
    List<Long> ticks = new CopyOnWriteArrayList<>();
    FleetSimulator sim = new FleetSimulator(Simulation.of(plan, 3), sample -> { }, plan,
        Clock.fixed(T0, ZoneOffset.UTC), (wall, tick) -> ticks.add(tick.index())).start();
    org.awaitility.Awaitility.await().until(() -> !ticks.isEmpty());

    sim.close();

    assertThat(sim.awaitFinished(5, TimeUnit.SECONDS)).isFalse();
    assertThat(ticks).hasSizeLessThan(20);
  }
}
