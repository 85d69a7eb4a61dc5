package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins the series features of one entity (the key) and one window into an {@link EntityVector}.
 *
 * <p>The window operator upstream emits every series' features for a window before it forwards the watermark
 * that closed the window, so an event-time timer at the window's last millisecond fires once all of the
 * entity's series for that window are here. The window's buffer is removed when it fires.
 */
public final class EntityVectorFunction extends KeyedProcessFunction<String, SeriesFeatures, EntityVector> {
  private static final long serialVersionUID = 1L;

  private transient MapState<Long, List<SeriesFeatures>> pending;

  @Override
  public void open(OpenContext ctx) {
    pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-series", Types.LONG,
        TypeInformation.of(new TypeHint<List<SeriesFeatures>>() {})));
  }

  @Override
  public void processElement(SeriesFeatures f, Context ctx, Collector<EntityVector> out) throws Exception {
    List<SeriesFeatures> series = pending.get(f.windowEnd);
    if (series == null) {
      series = new ArrayList<>();
      ctx.timerService().registerEventTimeTimer(f.windowEnd - 1);
    }
    series.add(f);
    pending.put(f.windowEnd, series);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EntityVector> out) throws Exception {
    long windowEnd = timestamp + 1;
    List<SeriesFeatures> series = pending.get(windowEnd);
    if (series != null && !series.isEmpty()) {
      out.collect(new EntityVector(ctx.getCurrentKey(), series.get(0).windowStart, windowEnd, series));
    }
    pending.remove(windowEnd);
  }
}
