package io.autonomic.demo.report;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.avro.ActionTarget;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.Severity;
import io.autonomic.demo.fleet.MetricNames;
import io.autonomic.demo.scenario.ScenarioSchedule;
import io.autonomic.demo.scenario.ScenarioTimeline;
import io.autonomic.demo.sim.DemoPlan;
import io.autonomic.demo.sim.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A small recorded run: the leak scenario simulated, with an anomaly, an incident and a restart around it. */
final class ReportFixtures {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private ReportFixtures() {}

  private static ReportData cached;

  /** The run (simulated once per test JVM: it is deterministic). */
  static synchronized ReportData leakRun() {
    if (cached == null) {
      cached = simulateLeakRun();
    }
    return cached;
  }

  private static ReportData simulateLeakRun() {
    DemoPlan plan = DemoPlan.fitting(Duration.ofMinutes(1), "memory-leak", T0);
    Simulation sim = Simulation.of(plan, 7);
    ScenarioTimeline timeline = new ScenarioTimeline(plan.scenarios(), Duration.ofSeconds(5), 3, line -> { });
    RunRecorder recorder = new RunRecorder("20261126-100000", 7, 1);
    timeline.started(T0);
    recorder.started(T0);
    Instant wall = T0;
    while (!sim.finished()) {
      Simulation.Tick t = sim.step();
      wall = T0.plus(plan.period().multipliedBy(t.index()));
      for (ScenarioSchedule.Event e : t.events()) {
        if (e.phase() == ScenarioSchedule.Phase.INJECTED) {
          timeline.injected(e.scenario().name(), wall);
        } else if (e.phase() == ScenarioSchedule.Phase.SLOT_ENDED) {
          timeline.ended(e.scenario().name(), wall);
        }
      }
      timeline.observeMetrics(wall, t.sample().metrics());
      recorder.metrics(wall, t.sample().metrics());
      Instant injected = T0.plus(Duration.ofMillis(Math.round(plan.warmup().toMillis() / plan.speed())));
      long sinceInjection = Duration.between(injected, wall).toMillis();
      if (sinceInjection >= 3000 && sinceInjection < 6000) {
        AnomalyEvent a = anomaly(wall, 0.8 + sinceInjection / 60000.0);
        timeline.observeAnomaly(wall, a);
        recorder.anomaly(wall, a);
      }
      if (sinceInjection == 3500) {
        Incident i = incident(IncidentState.OPEN);
        timeline.observeIncident(wall, i);
        recorder.incident(wall, i);
      }
      if (sinceInjection == 5000) {
        ActionCommand c = restart();
        timeline.observeCommand(wall, c);
        recorder.command(wall, c);
        ActionResult r = ActionResult.newBuilder().setCommandId(c.getCommandId()).setStatus(ActionStatus.APPLIED)
            .setMessage("restarted checkout-1").setExecutor("local").setStartedAt(wall).setFinishedAt(wall).build();
        timeline.observeResult(wall, r);
        recorder.result(r);
        sim.fleet().restart("checkout-1");
      }
      if (sinceInjection == 9000) {
        recorder.incident(wall, incident(IncidentState.RESOLVED));
      }
    }
    return recorder.snapshot(wall, timeline, 0.75);
  }

  private static AnomalyEvent anomaly(Instant at, double score) {
    return AnomalyEvent.newBuilder().setEventId("a-" + at.toEpochMilli()).setEntityId("shop/checkout-1")
        .setMetric(MetricNames.MEMORY_UTILIZATION).setWindowStart(at).setWindowEnd(at).setScore(score)
        .setThreshold(0.75).setSeverity(Severity.HIGH).setDetector("test").setDetectedAt(at).build();
  }

  private static Incident incident(IncidentState state) {
    return Incident.newBuilder().setIncidentId("inc-1").setState(state).setRevision(state.ordinal())
        .setSeverity(Severity.HIGH).setSummary("memory high on checkout </script> & co")
        .setEntities(List.of("shop/checkout-1")).setOpenedAt(T0).setUpdatedAt(T0).setAnomalyCount(3).build();
  }

  private static ActionCommand restart() {
    return ActionCommand.newBuilder().setCommandId("cmd-1").setIncidentId("inc-1").setStepIndex(0).setPolicy("leak")
        .setKind(ActionKind.RESTART)
        .setTarget(ActionTarget.newBuilder().setKind("process").setNamespace("shop").setName("checkout-1").build())
        .setParams(Map.of()).setDryRun(false).setRequiresApproval(false).setReason("memory").setCreatedAt(T0)
        .setExpiresAt(T0.plusSeconds(60)).build();
  }
}
