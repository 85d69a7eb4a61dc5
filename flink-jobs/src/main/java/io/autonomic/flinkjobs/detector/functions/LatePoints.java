package io.autonomic.flinkjobs.detector.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Turns what arrived after its window closed into a dead letter with reason {@value #REASON} and counts the points
 * ({@code latePoints}). The Kafka coordinates of the original record are not carried through the windows, so
 * partition and offset are -1.
 *
 * @param <T> a late point ({@link #points}) or a late partial ({@link #partials})
 */
public abstract class LatePoints<T> extends RichMapFunction<T, DeadLetter> {
  private static final long serialVersionUID = 1L;
  public static final String REASON = "late";
  public static final String PROCESSOR = "detector:windows";

  private final String sourceTopic;
  private final Clock clock;
  private transient Counter late;

  private LatePoints(String sourceTopic, Clock clock) {
    this.sourceTopic = sourceTopic;
    this.clock = clock;
  }

  /** A late point: the value is the point in Avro single-object encoding (schema fingerprint + binary). */
  public static LatePoints<MetricPoint> points(String sourceTopic, Clock clock) {
    return new Points(sourceTopic, clock);
  }

  /**
   * A partial of pre-aggregated points that reached the windows after they closed (only possible when an idle
   * source partition comes back behind the others). The points were folded before the shuffle, so the value is
   * their features as JSON (count, mean, min, max, first and last time...), and the reason says so.
   */
  public static LatePoints<FeatureAccumulator> partials(String sourceTopic, Clock clock) {
    return new Partials(sourceTopic, clock);
  }

  @Override
  public void open(OpenContext ctx) {
    late = getRuntimeContext().getMetricGroup().counter("latePoints");
  }

  DeadLetter deadLetter(long points, String reason, String entity, ByteBuffer value, Instant sourceTimestamp) {
    late.inc(points);
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setSourceTopic(sourceTopic)
        .setSourcePartition(-1)
        .setSourceOffset(-1)
        .setKey(ByteBuffer.wrap(entity.getBytes(StandardCharsets.UTF_8)))
        .setValue(value)
        .setFailedAt(clock.instant())
        .setProcessor(PROCESSOR)
        .setSourceTimestamp(sourceTimestamp)
        .setHeaders(Map.of())
        .build();
  }

  private static final class Points extends LatePoints<MetricPoint> {
    private static final long serialVersionUID = 1L;

    Points(String sourceTopic, Clock clock) {
      super(sourceTopic, clock);
    }

    @Override
    public DeadLetter map(MetricPoint p) throws IOException {
      return deadLetter(1, REASON, p.getEntityId(), MetricPoint.getEncoder().encode(p), p.getEventTime());
    }
  }

  private static final class Partials extends LatePoints<FeatureAccumulator> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    Partials(String sourceTopic, Clock clock) {
      super(sourceTopic, clock);
    }

    @Override
    public DeadLetter map(FeatureAccumulator partial) throws IOException {
      SeriesFeatures f = partial.toFeatures(partial.firstTime(), partial.lastTime() + 1);
      String reason = REASON + ": " + partial.count() + " points of " + f.entityId + "/" + f.metric + " from "
          + Instant.ofEpochMilli(partial.firstTime()) + " to " + Instant.ofEpochMilli(partial.lastTime())
          + " arrived after their windows closed; they were pre-aggregated, so the value holds their features "
          + "(JSON), not the points";
      return deadLetter(partial.count(), reason, f.entityId, ByteBuffer.wrap(JSON.writeValueAsBytes(f)),
          Instant.ofEpochMilli(partial.lastTime()));
    }
  }
}
