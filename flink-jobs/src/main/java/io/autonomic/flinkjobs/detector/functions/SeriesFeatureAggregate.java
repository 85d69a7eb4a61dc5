package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds the points of one series' window into a {@link FeatureAccumulator}, one point at a time. */
public final class SeriesFeatureAggregate
    implements AggregateFunction<MetricPoint, FeatureAccumulator, FeatureAccumulator> {
  private static final long serialVersionUID = 1L;

  @Override
  public FeatureAccumulator createAccumulator() {
    return new FeatureAccumulator();
  }

  @Override
  public FeatureAccumulator add(MetricPoint p, FeatureAccumulator acc) {
    return acc.add(p.getEntityId(), p.getMetric(), p.getTags(), p.getEventTime().toEpochMilli(), p.getValue());
  }

  @Override
  public FeatureAccumulator getResult(FeatureAccumulator acc) {
    return acc;
  }

  @Override
  public FeatureAccumulator merge(FeatureAccumulator a, FeatureAccumulator b) {
    return a.merge(b);
  }

  /** Folds partial features of one series' window (from {@code PartialFeaturesOperator}) into one. */
  public static final class Partials
      implements AggregateFunction<FeatureAccumulator, FeatureAccumulator, FeatureAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public FeatureAccumulator createAccumulator() {
      return new FeatureAccumulator();
    }

    @Override
    public FeatureAccumulator add(FeatureAccumulator partial, FeatureAccumulator acc) {
      return acc.merge(partial);
    }

    @Override
    public FeatureAccumulator getResult(FeatureAccumulator acc) {
      return acc;
    }

    @Override
    public FeatureAccumulator merge(FeatureAccumulator a, FeatureAccumulator b) {
      return a.merge(b);
    }
  }
}
