package io.autonomic.ingest.delivery;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;

/** Where collectors put normalized telemetry; {@code collector} names the source for the counters. */
public interface TelemetrySink {
  void metric(String collector, MetricPoint point);

  void log(String collector, LogRecord record);
}
