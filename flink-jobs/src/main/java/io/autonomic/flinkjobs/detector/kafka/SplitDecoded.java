package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.types.MetricPointSerializer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid points on and sends dead letters to {@link #MALFORMED}, counting them ({@code malformedPoints}). The
 * points leave with {@link MetricPointSerializer}.
 */
public final class SplitDecoded extends ProcessFunction<Decoded, MetricPoint>
    implements ResultTypeQueryable<MetricPoint> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<DeadLetter> MALFORMED = new OutputTag<>("malformed") {};

  private transient Counter malformed;

  @Override
  public void open(OpenContext ctx) {
    malformed = getRuntimeContext().getMetricGroup().counter("malformedPoints");
  }

  @Override
  public void processElement(Decoded d, Context ctx, Collector<MetricPoint> out) {
    if (d.point != null) {
      out.collect(d.point);
    } else {
      malformed.inc();
      ctx.output(MALFORMED, d.deadLetter);
    }
  }

  @Override
  public TypeInformation<MetricPoint> getProducedType() {
    return MetricPointSerializer.TYPE;
  }
}
