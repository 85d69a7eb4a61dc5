package io.autonomic.remediator;

import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named instants and builders so tests read as timelines. */
public final class Fixtures {
  private Fixtures() {}

  public static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  public static AnomalyEvent anomaly(String entity, String metric, Instant windowStart, Severity severity,
      Map<String, String> tags, FeatureContribution... features) {
    Instant end = windowStart.plus(Duration.ofMinutes(1));
    return AnomalyEvent.newBuilder()
        .setEventId("robust-zscore:" + entity + ":" + metric + ":" + windowStart.toEpochMilli())
        .setEntityId(entity)
        .setMetric(metric)
        .setWindowStart(windowStart)
        .setWindowEnd(end)
        .setScore(0.97)
        .setThreshold(0.9)
        .setSeverity(severity)
        .setDetector("robust-zscore")
        .setContributions(List.of(features))
        .setTags(new LinkedHashMap<>(tags))
        .setDetectedAt(end.plusSeconds(5))
        .build();
  }

  public static FeatureContribution feature(String name, double observed, Double expected) {
    return new FeatureContribution(name, observed, expected, 0.5);
  }

  public static ActionResult result(String commandId, ActionStatus status, Instant at, Map<String, String> observed) {
    return ActionResult.newBuilder()
        .setCommandId(commandId)
        .setStatus(status)
        .setMessage(status == ActionStatus.FAILED ? "boom" : "done")
        .setExecutor("testing")
        .setStartedAt(at)
        .setFinishedAt(at)
        .setObserved(new LinkedHashMap<>(observed))
        .setDryRun(false)
        .build();
  }
}
