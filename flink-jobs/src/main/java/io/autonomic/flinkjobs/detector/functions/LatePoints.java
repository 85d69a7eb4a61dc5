package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
}
