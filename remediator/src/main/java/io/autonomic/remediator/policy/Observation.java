package io.autonomic.remediator.policy;

import io.autonomic.avro.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What the remediator knows about a problem when it decides, whether it came from raw anomalies or from the
 * correlator's incidents: the entity, its labels, the anomalous signals, the severity and how long it lasted.
 *
 * @param entityId   entity the problem is on
 * @param entityKind kind of entity (label {@code kind}, else the part of the id before the first ':' or '/')
 * @param labels     labels (anomaly tags or incident labels)
 * @param signals    anomalous metrics and features
 * @param severity   highest severity seen
 * @param onset      event time the condition started
 * @param lastSeen   event time it was last seen
 * @param features   feature evidence by feature name (observed value and the model's expectation)
 */
public record Observation(String entityId, String entityKind, Map<String, String> labels, Set<String> signals,
    Severity severity, Instant onset, Instant lastSeen, Map<String, FeatureValue> features) {

  /** An observed feature value and what the model expected (the seasonal baseline's forecast), if anything. */
  public record FeatureValue(double observed, Double expected) {}

  public Duration lasted() {
    return Duration.between(onset, lastSeen);
  }

  /** Entity kind of an entity: its {@code kind} label, else the prefix of its id before ':' or '/'. */
  public static String kindOf(String entityId, Map<String, String> labels) {
    String k = labels.get("kind");
    if (k != null) {
      return k;
    }
    for (int i = 0; i < entityId.length(); i++) {
      char c = entityId.charAt(i);
      if (c == ':' || c == '/') {
        return entityId.substring(0, i);
      }
    }
    return "";
  }
}
