package io.autonomic.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionTarget;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.Severity;
import io.autonomic.demo.fleet.FleetSample;
import io.autonomic.demo.fleet.MetricNames;
import io.autonomic.demo.fleet.ShopFleet;
import io.autonomic.demo.sim.DemoPlan;
import io.autonomic.demo.sim.TelemetrySink;
import io.autonomic.remediator.executor.ActionExecutor;
import io.autonomic.remediator.executor.LocalProcessExecutor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo run of all five scenarios closed by a stand-in loop: threshold rules on the published telemetry in place of
 * the detector and the policies, and a "remediator" that sends commands through the remediator's real LocalProcessExecutor into the
 * fleet's control port.
 */
class DemoRunTest {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void aClosedLoopDetectsRemediatesAndRecoversEveryFaultAndWritesTheReport(@TempDir Path reports) throws Exception {
    DemoPlan fitting = DemoPlan.fitting(Duration.ofMinutes(4), "all", T0);
    DemoPlan fast = new DemoPlan(T0, fitting.step(), Duration.ofMillis(20), fitting.warmup(), fitting.slot(),
        fitting.dayLength(), fitting.scenarios());
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    StandInLoop loop = new StandInLoop();
    int exit;
    Path report;
    try (DemoRun run = new DemoRun(fast, 3, loop, Clock.systemUTC(), new PrintStream(terminal, true,
        StandardCharsets.UTF_8), reports, 0.75)) {
      loop.run = run;
      loop.executor = new LocalProcessExecutor(run.fleet());
      exit = run.run();
      report = reports.resolve(run.runId()).resolve("index.html");
    }
    String out = terminal.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("memory-leak      injected").contains("memory-leak      detected after")
        .contains("memory-leak      action: RESTART checkout-1").contains("memory-leak      recovered")
        .contains("bad-deploy       action: FAILOVER checkout").contains("traffic-spike    action: SCALE frontend")
        .contains("dead-replica     action: SCALE checkout").contains("slow-dependency  action: FAILOVER database")
        .contains("PASSED: 5 of 5");
    assertThat(exit).as(out).isZero();
    assertThat(Files.readString(report)).contains("\"name\":\"memory-leak\"");
  }

  @Test
  void closingARunningDemoStopsItAndStillWritesTheSummaryAndReport(@TempDir Path reports) throws Exception {
    DemoPlan plan = DemoPlan.fitting(Duration.ofMinutes(2), "memory-leak", T0);
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    DemoRun run = new DemoRun(plan, 3, sample -> { }, Clock.systemUTC(), new PrintStream(terminal, true,
        StandardCharsets.UTF_8), reports, 0.75);
    int[] exit = {-1};
    Thread main = new Thread(() -> {
      try {
        exit[0] = run.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    main.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> terminal.toString(StandardCharsets.UTF_8)
        .contains("shop fleet"));

    run.close(); // what the Ctrl-C hook does
    main.join(30_000);

    assertThat(main.isAlive()).isFalse();
    assertThat(exit[0]).isEqualTo(1);
    assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("FAILED: 0 of 1");
    assertThat(reports.resolve(run.runId()).resolve("index.html")).exists();
  }

  /**
   * Threshold rules on the published telemetry (a stand-in for the detector and the remediator's policies, blind
   * to the scenarios), each target and action at most once per 40 ticks, carried out by the real executor.
   */
  private static final class StandInLoop implements TelemetrySink {
    DemoRun run;
    ActionExecutor executor;
    private final Map<String, Integer> lastAction = new HashMap<>();
    private int tick;
    private int n;

    @Override
    public void publish(FleetSample sample) {
      tick++;
      Instant now = Instant.now();
      Map<String, Double> queue = new HashMap<>();
      sample.metrics().stream().filter(p -> p.getMetric().equals(MetricNames.QUEUE_DEPTH))
          .forEach(p -> queue.merge(p.getTags().get("service"), p.getValue(), Math::max));
      for (MetricPoint p : sample.metrics()) {
        String service = p.getTags().get("service");
        String replica = p.getTags().get("pod");
        double v = p.getValue();
        if (p.getMetric().equals(MetricNames.MEMORY_UTILIZATION) && v > 0.6) {
          act(now, p, ActionKind.RESTART, replica, Map.of());
        } else if (p.getMetric().equals(MetricNames.ERROR_RATIO) && v > 0.1 && queue.get(service) < 5) {
          act(now, p, ActionKind.FAILOVER, service, Map.of());
        } else if (p.getMetric().equals(MetricNames.LATENCY_P99) && service.equals(ShopFleet.DATABASE) && v > 0.2) {
          act(now, p, ActionKind.FAILOVER, service, Map.of());
        } else if ((p.getMetric().equals(MetricNames.CPU) && v > 0.55)
            || (p.getMetric().equals(MetricNames.QUEUE_DEPTH) && v > 20)) {
          int replicas = run.fleet().replicas(service).size();
          act(now, p, ActionKind.SCALE, service, Map.of("replicas", Integer.toString(Math.min(20, replicas * 2))));
        }
      }
    }

    private void act(Instant now, MetricPoint evidence, ActionKind kind, String target, Map<String, String> params) {
      run.anomaly(now, AnomalyEvent.newBuilder().setEventId("a" + n++).setEntityId(evidence.getEntityId())
          .setMetric(evidence.getMetric()).setWindowStart(now).setWindowEnd(now).setScore(0.9).setThreshold(0.75)
          .setSeverity(Severity.HIGH).setDetector("stand-in").setTags(evidence.getTags()).setDetectedAt(now)
          .build());
      Integer last = lastAction.get(kind + " " + target);
      if (last != null && tick - last < 40) {
        return;
      }
      lastAction.put(kind + " " + target, tick);
      ActionCommand c = ActionCommand.newBuilder().setCommandId("c" + n++).setIncidentId("i").setStepIndex(0)
          .setPolicy("stand-in").setKind(kind)
          .setTarget(ActionTarget.newBuilder().setKind("process").setNamespace("shop").setName(target).build())
          .setParams(params).setDryRun(false).setRequiresApproval(false).setReason("threshold")
          .setCreatedAt(now).setExpiresAt(now.plusSeconds(60)).build();
      run.command(now, c);
      try {
        ActionExecutor.Outcome o = executor.execute(c);
        run.result(Instant.now(), ActionResult.newBuilder().setCommandId(c.getCommandId()).setStatus(o.status())
            .setMessage(o.message()).setExecutor(executor.name()).setStartedAt(now).setFinishedAt(Instant.now())
            .setObserved(o.observed()).build());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
