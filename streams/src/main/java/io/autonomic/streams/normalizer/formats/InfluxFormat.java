package io.autonomic.streams.normalizer.formats;

import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.ingest.normalize.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * telemetry.raw.influx: line protocol from Telegraf. Each numeric field becomes a point named
 * {@code <measurement>.<field>} (Telegraf's own naming, e.g. {@code cpu.usage_idle}), canonicalized by the shared
 * {@link Normalizer}; tags become tags and name the entity ({@code host}, {@code pod}, ...). String fields are
 * skipped (counted): they are not series.
 */
public final class InfluxFormat implements RawFormat {
  private final Normalizer normalizer;

  public InfluxFormat(Normalizer normalizer) {
    this.normalizer = normalizer;
  }

  @Override
  public String name() {
    return "influx";
  }

  @Override
  public Decoded decode(byte[] value, Headers headers, long recordTimestamp) throws MalformedTelemetryException {
    List<MetricPoint> points = new ArrayList<>();
    int skipped = 0;
    for (InfluxLineProtocol.Line line : InfluxLineProtocol.parse(value)) {
      long time = line.timestampNanos() == null ? recordTimestamp : toMillis(line.timestampNanos());
      skipped += line.stringFields().size();
      for (Map.Entry<String, Double> field : line.fields().entrySet()) {
        Optional<MetricPoint> point = normalizer.metric(Map.of(), line.tags(),
            line.measurement() + "." + field.getKey(), null, field.getValue(), time);
        if (point.isPresent()) {
          points.add(point.get());
        } else {
          skipped++;
        }
      }
    }
    return Decoded.metrics(points, skipped);
  }

  /**
   * Telegraf writes nanoseconds; a producer configured with a coarser precision writes s, ms or us, told apart
   * by magnitude (any date after 1973 in ns is above 1e17).
   */
  static long toMillis(long timestamp) {
    long abs = Math.abs(timestamp);
    if (abs >= 100_000_000_000_000_000L) {
      return timestamp / 1_000_000;
    }
    if (abs >= 100_000_000_000_000L) {
      return timestamp / 1_000;
    }
    if (abs >= 100_000_000_000L) {
      return timestamp;
    }
    return timestamp * 1_000;
  }
}
