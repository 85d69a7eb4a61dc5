package io.autonomic.demo.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.avro.ActionTarget;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.Severity;
import io.autonomic.demo.fleet.MetricNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScenarioTimelineTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private final List<String> lines = new ArrayList<>();
  private ScenarioTimeline timeline;

  @BeforeEach
  void learnBaseline() {
    timeline = new ScenarioTimeline(Scenarios.select("memory-leak", Duration.ofMinutes(5)), Duration.ofSeconds(5), 3,
        lines::add);
    timeline.started(T0);
    for (int i = 0; i < 20; i++) {
      timeline.observeMetrics(at(i), memory(0.38 + 0.002 * (i % 3)));
    }
  }

  @Test
  void aFaultIsDetectedActedOnAndRecoveredWithTimes() {
    timeline.injected("memory-leak", at(20));
    timeline.observeMetrics(at(21), memory(0.9));
    timeline.observeAnomaly(at(26), anomaly(at(26), "shop/checkout-1", 0.93));
    timeline.observeCommand(at(28), command("c1", "checkout-1"));
    timeline.observeResult(at(29), result("c1", ActionStatus.APPLIED));
    for (int i = 30; i < 33; i++) {
      timeline.observeMetrics(at(i), memory(0.38));
    }
    timeline.ended("memory-leak", at(40));

    FaultRecord f = timeline.faults().get(0);
    assertThat(f.mttd()).isEqualTo(Duration.ofSeconds(6));
    assertThat(f.mttr()).isEqualTo(Duration.ofSeconds(12));
    assertThat(f.firstAction().kind()).isEqualTo("RESTART");
    assertThat(f.firstAction().status()).isEqualTo("APPLIED");
    assertThat(f.detectedBy()).contains("shop/checkout-1").contains("0.93");
    assertThat(timeline.passed()).isTrue();
    assertThat(timeline.falseAnomalies()).isZero();
    assertThat(Summary.exitCode(timeline)).isZero();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo("[  20.0s] memory-leak      injected: memory leak on checkout-1");
    assertThat(lines.get(5)).isEqualTo("[  40.0s] memory-leak      PASS: injected → detected +6.0s → action RESTART "
        + "checkout-1 APPLIED +8.0s → recovered +12.0s");
    assertThat(Summary.render(timeline)).contains("memory-leak  6.0s  12.0s  RESTART checkout-1 APPLIED  PASS")
        .contains("false alarms outside the faults: 0 anomalies on 0 entities, 0 incidents")
        .contains("PASSED: 1 of 1 faults detected, remediated and recovered");
  }

  @Test
  void anomaliesOutsideTheFaultWindowOrOnUnrelatedServicesAreFalseAlarms() {
    timeline.observeAnomaly(at(10), anomaly(at(10), "shop/checkout-1", 0.8)); // before injection
    timeline.injected("memory-leak", at(20));
    timeline.observeAnomaly(at(22), anomaly(at(22), "shop/database-1", 0.8)); // not an affected service
    timeline.observeIncident(at(24), incident(at(24), "i-db", "shop/database-2"));

    assertThat(timeline.faults().get(0).detected()).isNull();
    assertThat(timeline.falseAnomalies()).isEqualTo(2);
    assertThat(timeline.falseAlarmEntities()).containsExactlyInAnyOrder("shop/checkout-1", "shop/database-1");
    assertThat(timeline.falseIncidents()).isEqualTo(1);
  }

  @Test
  void evidenceOnThisHostIsCountedApartFromTheShopsFalseAlarms() {
    timeline.injected("memory-leak", at(20));
    // the agent on this host: a host named like a replica is still not one of the shop's
    timeline.observeAnomaly(at(22), anomaly(at(22), "checkout-7", 0.8));
    timeline.observeAnomaly(at(23), anomaly(at(23), "vm", 0.8));
    timeline.observeIncident(at(24), incident(at(24), "i-host", "vm"));

    assertThat(timeline.faults().get(0).detected()).isNull();
    assertThat(timeline.falseAnomalies()).isZero();
    assertThat(timeline.falseIncidents()).isZero();
    assertThat(timeline.outsideAnomalies()).isEqualTo(2);
    assertThat(timeline.outsideEntities()).containsExactlyInAnyOrder("checkout-7", "vm");
    assertThat(timeline.outsideIncidents()).isEqualTo(1);
    assertThat(Summary.render(timeline))
        .contains("false alarms outside the faults: 0 anomalies on 0 entities, 0 incidents")
        .contains("outside the shop (this host's agent; not false alarms, must get no action): 2 anomalies on 2 entities "
            + "[checkout-7, vm], 1 incidents, 0 actions");
  }

  @Test
  void anActionOutsideTheShopFailsTheRunEvenWhenEveryFaultPassed() {
    timeline.injected("memory-leak", at(20));
    timeline.observeMetrics(at(21), memory(0.9));
    timeline.observeAnomaly(at(26), anomaly(at(26), "shop/checkout-1", 0.93));
    timeline.observeCommand(at(27), command("c0", "vm"));
    timeline.observeCommand(at(28), command("c1", "checkout-1"));
    timeline.observeResult(at(29), result("c1", ActionStatus.APPLIED));
    for (int i = 30; i < 33; i++) {
      timeline.observeMetrics(at(i), memory(0.38));
    }
    timeline.ended("memory-leak", at(40));

    assertThat(timeline.faults().get(0).passed()).isTrue();
    assertThat(timeline.outsideActions()).containsExactly("SCALE process/vm");
    assertThat(timeline.passed()).isFalse();
    assertThat(Summary.exitCode(timeline)).isEqualTo(1);
    assertThat(lines).contains("[  27.0s] outside          action outside the shop: SCALE process/vm");
    assertThat(Summary.render(timeline)).contains("1 actions [SCALE process/vm]")
        .contains("FAILED: 1 of 1 faults detected, remediated and recovered; acted outside the shop");
  }

  @Test
  void anIncidentOnAnAffectedEntityDetectsTheFault() {
    timeline.injected("memory-leak", at(20));
    timeline.observeIncident(at(27), incident(at(27), "i-1", "shop/checkout-1"));

    assertThat(timeline.faults().get(0).mttd()).isEqualTo(Duration.ofSeconds(7));
    assertThat(timeline.faults().get(0).detectedBy()).startsWith("incident i-1");
  }

  @Test
  void withoutAnAppliedActionTheFaultFailsAndTheExitCodeIsOne() {
    timeline.injected("memory-leak", at(20));
    timeline.observeMetrics(at(21), memory(0.9));
    timeline.observeAnomaly(at(22), anomaly(at(22), "shop/checkout-1", 0.9));
    timeline.observeCommand(at(23), command("c1", "checkout"));
    timeline.observeResult(at(24), result("c1", ActionStatus.REJECTED));
    timeline.ended("memory-leak", at(40));

    assertThat(timeline.passed()).isFalse();
    assertThat(Summary.exitCode(timeline)).isEqualTo(1);
    assertThat(Summary.render(timeline)).contains("FAIL (no action applied)").contains("FAILED: 0 of 1");
  }

  @Test
  void metricsThatNeverLeftTheBaselineDoNotCountAsARecoveryBeforeDetection() {
    timeline.injected("memory-leak", at(20));
    for (int i = 21; i < 30; i++) {
      timeline.observeMetrics(at(i), memory(0.38));
    }
    assertThat(timeline.faults().get(0).recovered()).isNull();
  }

  @Test
  void commandsOnOtherServicesAreNotTheFaultsActions() {
    timeline.injected("memory-leak", at(20));
    timeline.observeCommand(at(21), command("c9", "frontend"));
    assertThat(timeline.faults().get(0).actions()).isEmpty();
  }

  @Test
  void theEndOfSlotCleanupIsNotARecoveryAndMetricsInBandBeforeAnActionAreNotEither() {
    timeline.injected("memory-leak", at(20));
    timeline.observeMetrics(at(21), memory(0.9));
    timeline.observeAnomaly(at(22), anomaly(at(22), "shop/checkout-1", 0.9));
    for (int i = 23; i < 27; i++) {
      timeline.observeMetrics(at(i), memory(0.38)); // back in band, but nothing was done
    }
    assertThat(timeline.faults().get(0).recovered()).isNull();

    timeline.ended("memory-leak", at(30)); // the cleanup restarted the replica
    timeline.observeCommand(at(31), command("c1", "checkout-1"));
    timeline.observeResult(at(31), result("c1", ActionStatus.APPLIED));
    for (int i = 31; i < 36; i++) {
      timeline.observeMetrics(at(i), memory(0.38));
    }

    assertThat(timeline.faults().get(0).recovered()).isNull();
    assertThat(timeline.passed()).isFalse();
  }

  @Test
  void aReplicaThatStoppedReportingKeepsTheFaultUnrecovered() {
    timeline.injected("memory-leak", at(20));
    timeline.observeAnomaly(at(22), anomaly(at(22), "shop/checkout-1", 0.9));
    timeline.observeCommand(at(23), command("c1", "checkout-1"));
    timeline.observeResult(at(23), result("c1", ActionStatus.APPLIED));
    for (int i = 24; i < 30; i++) {
      timeline.observeMetrics(at(i), memory(0.38).subList(1, 2)); // checkout-1 silent
    }
    assertThat(timeline.faults().get(0).recovered()).isNull();

    for (int i = 30; i < 33; i++) {
      timeline.observeMetrics(at(i), memory(0.38));
    }
    assertThat(timeline.faults().get(0).recovered()).isEqualTo(at(32));
  }

  @Test
  void evidenceIsAttributedByEventTimeToTheLatestFaultInjectedBeforeIt() {
    ScenarioTimeline two = new ScenarioTimeline(Scenarios.select("bad-deploy,dead-replica", Duration.ofMinutes(5)),
        Duration.ofSeconds(10), 3, lines::add);
    two.started(T0);
    two.injected("bad-deploy", at(20), at(20));
    two.ended("bad-deploy", at(40));
    two.injected("dead-replica", at(40), at(40));
    // seen after the second injection, but its window ended during the first fault
    two.observeAnomaly(at(41), anomaly(at(39), "shop/checkout-1", 0.95));
    two.observeAnomaly(at(43), anomaly(at(42), "shop/checkout-2", 1.0));

    assertThat(two.faults().get(0).detected()).isEqualTo(at(41));
    assertThat(two.faults().get(1).detected()).isEqualTo(at(43));
    assertThat(two.faults().get(1).detectedBy()).contains("shop/checkout-2");
  }

  private static Instant at(int s) {
    return T0.plusSeconds(s);
  }

  private static List<MetricPoint> memory(double util) {
    List<MetricPoint> out = new ArrayList<>();
    for (String e : List.of("shop/checkout-1", "shop/checkout-2")) {
      out.add(MetricPoint.newBuilder().setEntityId(e).setMetric(MetricNames.MEMORY_UTILIZATION)
          .setValue(e.endsWith("-1") ? util : 0.38).setEventTime(T0).build());
    }
    return out;
  }

  private static AnomalyEvent anomaly(Instant windowEnd, String entity, double score) {
    return AnomalyEvent.newBuilder().setEventId("a-" + entity + score).setEntityId(entity)
        .setMetric(MetricNames.MEMORY_UTILIZATION).setWindowStart(windowEnd.minusSeconds(1))
        .setWindowEnd(windowEnd).setScore(score)
        .setThreshold(0.75).setSeverity(Severity.HIGH).setDetector("test").setDetectedAt(T0).build();
  }

  private static Incident incident(Instant openedAt, String id, String entity) {
    return Incident.newBuilder().setIncidentId(id).setState(IncidentState.OPEN).setRevision(0)
        .setSeverity(Severity.HIGH).setSummary("memory high on " + entity).setEntities(List.of(entity))
        .setOpenedAt(openedAt).setUpdatedAt(openedAt).setAnomalyCount(1).build();
  }

  private static ActionCommand command(String id, String target) {
    return ActionCommand.newBuilder().setCommandId(id).setIncidentId("i-1").setStepIndex(0).setPolicy("p")
        .setKind(target.contains("-") ? ActionKind.RESTART : ActionKind.SCALE)
        .setTarget(ActionTarget.newBuilder().setKind("process").setNamespace("shop").setName(target).build())
        .setParams(Map.of()).setDryRun(false).setRequiresApproval(false).setReason("test").setCreatedAt(T0)
        .setExpiresAt(T0.plusSeconds(60)).build();
  }

  private static ActionResult result(String id, ActionStatus status) {
    return ActionResult.newBuilder().setCommandId(id).setStatus(status).setMessage("done").setExecutor("local")
        .setStartedAt(T0).setFinishedAt(T0).build();
  }
}
