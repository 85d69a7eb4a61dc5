package io.autonomic.ingest.testing;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.delivery.TelemetrySink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink that keeps what collectors publish, for assertions. */
public final class RecordingSink implements TelemetrySink {
  public final List<MetricPoint> metrics = new CopyOnWriteArrayList<>();
  public final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  public final List<String> collectors = new CopyOnWriteArrayList<>();

  @Override
  public void metric(String collector, MetricPoint point) {
    collectors.add(collector);
    metrics.add(point);
  }

  @Override
  public void log(String collector, LogRecord record) {
    collectors.add(collector);
    logs.add(record);
  }

  public List<MetricPoint> named(String metric) {
    return metrics.stream().filter(p -> p.getMetric().equals(metric)).toList();
  }
}
