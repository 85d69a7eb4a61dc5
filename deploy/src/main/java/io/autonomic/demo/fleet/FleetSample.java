package io.autonomic.demo.fleet;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import java.util.List;

/** What the fleet emitted in one tick: one point per live replica and metric, and its log lines. */
public record FleetSample(List<MetricPoint> metrics, List<LogRecord> logs) {
  public FleetSample {
    metrics = List.copyOf(metrics);
    logs = List.copyOf(logs);
  }
}
