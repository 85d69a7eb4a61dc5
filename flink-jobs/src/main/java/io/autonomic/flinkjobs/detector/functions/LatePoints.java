package io.autonomic.flinkjobs.detector.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Turns a point that arrived after its window closed into a dead letter with reason {@value #REASON}, and counts it
 * ({@code latePoints}). The Kafka coordinates of the original record are not carried through the windows, so
 * partition and offset are -1 and the value is the point in Avro single-object encoding (schema fingerprint +
 * binary), which any Avro reader with the MetricPoint schema decodes.
 */
public final class LatePoints extends RichMapFunction<MetricPoint, DeadLetter> {
  private static final long serialVersionUID = 1L;
  public static final String REASON = "late";
  public static final String PROCESSOR = "detector:windows";

  private final String sourceTopic;
  private final Clock clock;
  private transient Counter late;

  public LatePoints(String sourceTopic, Clock clock) {
    this.sourceTopic = sourceTopic;
    this.clock = clock;
  }

  @Override
  public void open(OpenContext ctx) {
    late = getRuntimeContext().getMetricGroup().counter("latePoints");
  }

  @Override
  public DeadLetter map(MetricPoint p) {
    late.inc();
    ByteBuffer value;
    try {
      value = MetricPoint.getEncoder().encode(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return DeadLetter.newBuilder()
        .setReason(REASON)
        .setSourceTopic(sourceTopic)
        .setSourcePartition(-1)
        .setSourceOffset(-1)
        .setKey(ByteBuffer.wrap(p.getEntityId().getBytes(StandardCharsets.UTF_8)))
        .setValue(value)
        .setFailedAt(clock.instant())
        .setProcessor(PROCESSOR)
        .setSourceTimestamp(p.getEventTime())
        .setHeaders(Map.of())
        .build();
  }

  /**
   * A partial of pre-aggregated points that reached the windows after they closed (only possible when an idle
   * source partition comes back behind the others): a dead letter with reason {@value #REASON}, its points counted
   * in {@code latePoints}. The points themselves were folded before the shuffle, so the value is their features as
   * JSON (count, mean, min, max, first and last time...), and the reason says so.
   */
  public static final class Partials extends RichMapFunction<FeatureAccumulator, DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String sourceTopic;
    private final Clock clock;
    private transient Counter late;

    public Partials(String sourceTopic, Clock clock) {
      this.sourceTopic = sourceTopic;
      this.clock = clock;
    }

    @Override
    public void open(OpenContext ctx) {
      late = getRuntimeContext().getMetricGroup().counter("latePoints");
    }

    @Override
    public DeadLetter map(FeatureAccumulator partial) throws IOException {
      late.inc(partial.count());
      SeriesFeatures f = partial.toFeatures(partial.firstTime(), partial.lastTime() + 1);
      return DeadLetter.newBuilder()
          .setReason(REASON + ": " + partial.count() + " points of " + f.entityId + "/" + f.metric + " from "
              + Instant.ofEpochMilli(partial.firstTime()) + " to " + Instant.ofEpochMilli(partial.lastTime())
              + " arrived after their windows closed; they were pre-aggregated, so the value holds their features "
              + "(JSON), not the points")
          .setSourceTopic(sourceTopic)
          .setSourcePartition(-1)
          .setSourceOffset(-1)
          .setKey(ByteBuffer.wrap(f.entityId.getBytes(StandardCharsets.UTF_8)))
          .setValue(ByteBuffer.wrap(JSON.writeValueAsBytes(f)))
          .setFailedAt(clock.instant())
          .setProcessor(PROCESSOR)
          .setSourceTimestamp(Instant.ofEpochMilli(partial.lastTime()))
          .setHeaders(Map.of())
          .build();
    }
  }
}
