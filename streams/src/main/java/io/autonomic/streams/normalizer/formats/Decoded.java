package io.autonomic.streams.normalizer.formats;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import java.util.List;

/**
 * What one raw record became.
 *
 * @param metrics  normalized points (key: entity id)
 * @param logs     normalized log records (key: entity id)
 * @param skipped  parts of the record that are valid but carry no telemetry Autonomic uses (e.g. string fields
 *                 of line protocol), or that the cardinality guard refused; counted, not dead-lettered
 */
public record Decoded(List<MetricPoint> metrics, List<LogRecord> logs, int skipped) {
  public static Decoded metrics(List<MetricPoint> metrics, int skipped) {
    return new Decoded(metrics, List.of(), skipped);
  }

  public static Decoded logs(List<LogRecord> logs) {
    return new Decoded(List.of(), logs, 0);
  }
}
