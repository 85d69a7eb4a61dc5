package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.flinkjobs.detector.anomaly.AnomalyEvents;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.time.Clock;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Emits a series-level event for each scored window that reached the threshold. */
public final class SeriesAnomalies implements FlatMapFunction<SeriesFeatures, AnomalyEvent> {
  private static final long serialVersionUID = 1L;
  private final double threshold;
  private final int top;
  private final Clock clock;

  public SeriesAnomalies(double threshold, int top, Clock clock) {
    this.threshold = threshold;
    this.top = top;
    this.clock = clock;
  }

  @Override
  public void flatMap(SeriesFeatures f, Collector<AnomalyEvent> out) {
    if (f.score != null && f.score.warmedUp && f.score.score >= threshold) {
      out.collect(AnomalyEvents.of(f.entityId, f.metric, f.windowStart, f.windowEnd, f.score, threshold, top,
          f.tags, clock.instant()));
    }
  }
}
