package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Stamps the window's bounds on the aggregated features of one series. */
public final class EmitSeriesFeatures
    extends ProcessWindowFunction<FeatureAccumulator, SeriesFeatures, String, TimeWindow> {
  private static final long serialVersionUID = 1L;

  @Override
  public void process(String key, Context ctx, Iterable<FeatureAccumulator> accs, Collector<SeriesFeatures> out) {
    for (FeatureAccumulator acc : accs) {
      if (acc.count() > 0) {
        out.collect(acc.toFeatures(ctx.window().getStart(), ctx.window().getEnd()));
      }
    }
  }
}
