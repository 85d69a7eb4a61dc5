package io.autonomic.demo.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.demo.fleet.ShopFleet;
import io.autonomic.demo.scenario.ScenarioSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void theDefaultPlanFitsFourMinutesAtTwentyTimesSpeed() {
    DemoPlan plan = DemoPlan.fitting(Duration.ofMinutes(4), "all", T0);

    assertThat(plan.speed()).isEqualTo(20.0);
    assertThat(plan.scenarios()).extracting(s -> s.name()).containsExactly("memory-leak", "bad-deploy",
        "dead-replica", "slow-dependency", "traffic-spike");
    assertThat(plan.realLength()).isBetween(Duration.ofSeconds(235), Duration.ofSeconds(241));
    assertThat(plan.warmup()).isEqualTo(Duration.ofSeconds(48 * 20));
    assertThat(plan.scenarios().get(0).duration()).isLessThan(plan.slot());
  }

  @Test
  void aPlanTooShortForItsScenariosIsRefused() {
    assertThatThrownBy(() -> DemoPlan.fitting(Duration.ofSeconds(60), "all", T0))
        .hasMessageContaining("too short for 5 scenarios");
  }

  @Test
  void scenariosRunOneAfterAnotherAndLeaveAHealthyFleet() {
    DemoPlan plan = DemoPlan.fitting(Duration.ofMinutes(2), "memory-leak,dead-replica", T0);
    Simulation sim = Simulation.of(plan, 1);
    List<String> events = new ArrayList<>();
    while (!sim.finished()) {
      Simulation.Tick t = sim.step();
      t.events().forEach(e -> events.add(e.scenario().name() + " " + e.phase()));
    }
    assertThat(events).containsExactly("memory-leak INJECTED", "memory-leak EXPIRED", "memory-leak SLOT_ENDED",
        "dead-replica INJECTED", "dead-replica EXPIRED", "dead-replica SLOT_ENDED");
    assertThat(sim.fleet().liveReplicas(ShopFleet.CHECKOUT)).isEqualTo(3);
  }

  @Test
  void aSpikeMultipliesTheLoadOnlyDuringItsDuration() {
    DemoPlan plan = DemoPlan.fitting(Duration.ofMinutes(2), "traffic-spike", T0);
    ScenarioSchedule schedule = Simulation.of(plan, 1).schedule();
    Instant injected = schedule.injectionTime(0);

    assertThat(schedule.loadFactor(injected.minusSeconds(1))).isEqualTo(1.0);
    assertThat(schedule.loadFactor(injected)).isEqualTo(10.0);
    assertThat(schedule.loadFactor(injected.plus(plan.scenarios().get(0).duration()))).isEqualTo(1.0);
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    DemoPlan plan = DemoPlan.fitting(Duration.ofMinutes(2), "bad-deploy", T0);
    Simulation a = Simulation.of(plan, 5);
    Simulation b = Simulation.of(plan, 5);
    Simulation c = Simulation.of(plan, 6);
    for (int i = 0; i < 30; i++) {
      Simulation.Tick ta = a.step();
      Simulation.Tick tb = b.step();
      Simulation.Tick tc = c.step();
      assertThat(ta.sample()).isEqualTo(tb.sample());
      assertThat(ta.load()).isEqualTo(tb.load()).isNotEqualTo(tc.load());
      assertThat(ta.simTime()).isEqualTo(T0.plus(plan.step().multipliedBy(i)));
    }
  }
}
