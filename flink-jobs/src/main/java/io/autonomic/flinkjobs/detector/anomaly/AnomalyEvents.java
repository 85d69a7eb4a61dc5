package io.autonomic.flinkjobs.detector.anomaly;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the {@link AnomalyEvent} for a scored window. */
public final class AnomalyEvents {
  private AnomalyEvents() {}

  /**
   * The event for a window whose score reached {@code threshold}.
   *
   * @param metric null for an entity-level event
   * @param top    how many features to list; their shares are their likelihoods normalized over all features,
   *               so the listed shares add up to at most 1
   */
  public static AnomalyEvent of(String entityId, String metric, long windowStart, long windowEnd, WindowScore s,
      double threshold, int top, Map<String, String> tags, Instant detectedAt) {
    double total = 0;
    for (FeatureScore f : s.features) {
      total += f.likelihood;
    }
    List<FeatureContribution> contributions = new ArrayList<>();
    for (FeatureScore f : s.features.subList(0, Math.min(top, s.features.size()))) {
      contributions.add(FeatureContribution.newBuilder()
          .setFeature(metric == null ? f.feature : metric + ":" + f.feature)
          .setObserved(f.observed)
          .setExpected(Double.isNaN(f.expected) || Double.isInfinite(f.expected) ? null : f.expected)
          .setContribution(total > 0 ? f.likelihood / total : 0)
          .build());
    }
    return AnomalyEvent.newBuilder()
        .setEventId(eventId(s.detector, entityId, metric, windowStart, windowEnd))
        .setEntityId(entityId)
        .setMetric(metric)
        .setWindowStart(Instant.ofEpochMilli(windowStart))
        .setWindowEnd(Instant.ofEpochMilli(windowEnd))
        .setScore(s.score)
        .setThreshold(threshold)
        .setSeverity(severity(s.score, threshold))
        .setDetector(s.detector)
        .setModelVersions(new HashMap<>(s.modelVersions))
        .setContributions(contributions)
        .setTags(tags == null ? Map.of() : new HashMap<>(tags))
        .setDetectedAt(detectedAt)
        .build();
  }

  /** Same detector, entity, metric and window give the same id, so a re-scored window deduplicates downstream. */
  public static String eventId(String detector, String entityId, String metric, long windowStart, long windowEnd) {
    String name = detector + "|" + entityId + "|" + (metric == null ? "" : metric) + "|" + windowStart + "|"
        + windowEnd;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Where the score lies between the threshold and 1: lower quarter LOW ... top tenth CRITICAL. */
  public static Severity severity(double score, double threshold) {
    double r = threshold >= 1 ? 1 : (score - threshold) / (1 - threshold);
    if (r >= 0.9) {
      return Severity.CRITICAL;
    }
    if (r >= 0.6) {
      return Severity.HIGH;
    }
    if (r >= 0.3) {
      return Severity.MEDIUM;
    }
    return Severity.LOW;
  }
}
