package io.autonomic.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.AuditRecord;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Severity;
import io.autonomic.remediator.core.Remediator;
import io.autonomic.remediator.core.RemediatorMetrics;
import io.autonomic.remediator.core.RemediatorState;
import io.autonomic.remediator.guardrail.GuardrailChain;
import io.autonomic.remediator.policy.PolicyLoader;
import io.autonomic.remediator.policy.PolicyStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's own policies (deploy's {@code /demo/policies}) in the real remediator core, fed the anomalies the
 * detector produced in the runs that went wrong: which policy acts, on what.
 */
class DemoPoliciesTest {
  private static final Instant T0 = Instant.parse("2026-11-26T08:37:27Z");

  private final MutableClock clock = new MutableClock(T0);
  private final List<ActionCommand> commands = new ArrayList<>();
  private final List<AuditRecord> audit = new ArrayList<>();
  private final Remediator remediator = new Remediator(PolicyStore.fixed(PolicyLoader.load(demoPolicies())),
      GuardrailChain.standard(), new RemediatorState(), commands::add, audit::add, clock,
      RemediatorMetrics.inMemory(), new Remediator.Settings(false, Duration.ofMinutes(10), Duration.ofMinutes(1),
          Duration.ofMinutes(1)));

  @Test
  void aDeadReplicaIsRestartedEvenWhenItsIncidentOfThePreviousFaultWasHeldByTheCooldown() {
    // bad deploy: every checkout replica's error ratio; checkout-1's incident fails the service over, the
    // others are held by the cooldown on the same target
    for (String replica : List.of("checkout-1", "checkout-2", "checkout-3")) {
      remediator.onAnomaly(anomaly(replica, "http.server.request.error.ratio", "mean", "scored", T0));
    }
    assertThat(commands).singleElement().satisfies(c -> {
      assertThat(c.getKind()).isEqualTo(ActionKind.FAILOVER);
      assertThat(c.getTarget().getName()).isEqualTo("checkout");
    });
    remediator.onResult(applied(commands.get(0)));
    run(Duration.ofSeconds(44)); // the rollback worked: no more anomalies; the next fault starts

    // checkout-2 dies: the detector's absent-series check reports its series
    remediator.onAnomaly(anomaly("checkout-2", "http.server.request.duration.p99", "absent", "absent", clock.instant()));

    assertThat(commands).hasSize(2);
    assertThat(commands.get(1).getKind()).isEqualTo(ActionKind.RESTART);
    assertThat(commands.get(1).getTarget().getName()).isEqualTo("shop/checkout-2");
    assertThat(commands.get(1).getPolicy()).isEqualTo("replica-silent");
  }

  @Test
  void incidentsHeldByTheCooldownDoNotFireAgainOnceTheirFaultIsFixed() {
    for (String replica : List.of("checkout-1", "checkout-2", "checkout-3")) {
      remediator.onAnomaly(anomaly(replica, "http.server.request.error.ratio", "mean", "scored", T0));
    }
    remediator.onResult(applied(commands.get(0)));

    run(Duration.ofSeconds(150)); // past the cooldown and two retry intervals

    assertThat(commands).hasSize(1);
  }

  @Test
  void nothingOnThisHostIsActedOn() {
    Map<String, String> host = Map.of("host", "vm", "kind", "host");
    for (String metric : List.of("system.cpu.utilization", "system.memory.utilization", "system.disk.io")) {
      remediator.onAnomaly(anomaly("vm", metric, "mean", "scored", T0, host));
      remediator.onAnomaly(anomaly("vm", metric, "absent", "absent", T0.plusSeconds(30), host));
    }
    run(Duration.ofMinutes(3));

    assertThat(commands).isEmpty();
  }

  /** Advances the clock second by second, as the remediator's loop ticks. */
  private void run(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      clock.advance(Duration.ofSeconds(1));
      remediator.tick();
    }
  }

  private AnomalyEvent anomaly(String replica, String metric, String feature, String detector, Instant end) {
    Map<String, String> tags = new LinkedHashMap<>();
    String service = replica.substring(0, replica.lastIndexOf('-'));
    tags.put("service", service);
    tags.put("namespace", "shop");
    tags.put("deployment", service);
    tags.put("pod", replica);
    tags.put("version", "v2");
    return anomaly("shop/" + replica, metric, feature, detector, end, tags);
  }

  private AnomalyEvent anomaly(String entity, String metric, String feature, String detector, Instant end,
      Map<String, String> tags) {
    Instant start = end.minusMillis(250);
    return AnomalyEvent.newBuilder()
        .setEventId(detector + "|" + entity + "|" + metric + "|" + end.toEpochMilli())
        .setEntityId(entity)
        .setMetric(metric)
        .setWindowStart(start)
        .setWindowEnd(end)
        .setScore(1.0)
        .setThreshold(0.9)
        .setSeverity(Severity.CRITICAL)
        .setDetector(detector)
        .setContributions(List.of(FeatureContribution.newBuilder().setFeature(metric + ":" + feature)
            .setObserved(0).setExpected(1.0).setContribution(1.0).build()))
        .setTags(new LinkedHashMap<>(tags))
        .setDetectedAt(clock.instant())
        .build();
  }

  private ActionResult applied(ActionCommand c) {
    return ActionResult.newBuilder().setCommandId(c.getCommandId()).setStatus(ActionStatus.APPLIED)
        .setMessage("done").setExecutor("local").setStartedAt(clock.instant()).setFinishedAt(clock.instant())
        .setObserved(new LinkedHashMap<>()).setDryRun(false).build();
  }

  private static Map<String, String> demoPolicies() {
    Map<String, String> files = new LinkedHashMap<>();
    for (String name : List.of("guardrails.yaml", "services.yaml")) {
      try (InputStream in = DemoPoliciesTest.class.getResourceAsStream("/demo/policies/" + name)) {
        files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return files;
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
