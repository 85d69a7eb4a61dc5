package io.autonomic.flinkjobs.detector;

import io.autonomic.avro.MetricPoint;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Named instants and point builders so tests read as timelines. */
public final class TestPoints {
  /** A minute boundary, so one-minute windows start here. */
  public static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private TestPoints() {}

  public static MetricPoint point(String entity, String metric, Instant at, double value) {
    return MetricPoint.newBuilder().setEntityId(entity).setMetric(metric).setValue(value).setEventTime(at)
        .setTags(Map.of("service", "checkout")).build();
  }

  public static MetricPoint point(String entity, String metric, long atMillis, double value) {
    return point(entity, metric, Instant.ofEpochMilli(atMillis), value);
  }

  /**
   * A watermark after every point (max event time seen minus {@code outOfOrdernessMs}), so finite test input
   * moves the watermark deterministically, in step with the records.
   */
  public static WatermarkStrategy<MetricPoint> perPointWatermarks(long outOfOrdernessMs) {
    return WatermarkStrategy.<MetricPoint>forGenerator(ctx -> new WatermarkGenerator<>() {
      long max = Long.MIN_VALUE + outOfOrdernessMs + 1;

      @Override
      public void onEvent(MetricPoint p, long ts, WatermarkOutput out) {
        max = Math.max(max, ts);
        out.emitWatermark(new Watermark(max - outOfOrdernessMs - 1));
      }

      @Override
      public void onPeriodicEmit(WatermarkOutput out) {}
    }).withTimestampAssigner((p, ts) -> p.getEventTime().toEpochMilli());
  }
}
