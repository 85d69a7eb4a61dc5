package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Folds one series' window into a {@link FeatureAccumulator}: {@link #points()} one point at a time, {@link
 * #partials()} the partial features that {@code PartialFeaturesOperator} folded in the source's task.
 *
 * @param <IN> what the window receives
 */
public abstract class SeriesFeatureAggregate<IN>
    implements AggregateFunction<IN, FeatureAccumulator, FeatureAccumulator> {
  private static final long serialVersionUID = 1L;

  private SeriesFeatureAggregate() {}

  /** Adds every point. */
  public static SeriesFeatureAggregate<MetricPoint> points() {
    return new Points();
  }

  /** Merges partial features. */
  public static SeriesFeatureAggregate<FeatureAccumulator> partials() {
    return new Partials();
  }

  @Override
  public FeatureAccumulator createAccumulator() {
    return new FeatureAccumulator();
  }

  @Override
  public FeatureAccumulator getResult(FeatureAccumulator acc) {
    return acc;
  }

  @Override
  public FeatureAccumulator merge(FeatureAccumulator a, FeatureAccumulator b) {
    return a.merge(b);
  }

  private static final class Points extends SeriesFeatureAggregate<MetricPoint> {
    private static final long serialVersionUID = 1L;

    @Override
    public FeatureAccumulator add(MetricPoint p, FeatureAccumulator acc) {
      return acc.add(p.getEntityId(), p.getMetric(), p.getTags(), p.getEventTime().toEpochMilli(), p.getValue());
    }
  }

  private static final class Partials extends SeriesFeatureAggregate<FeatureAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public FeatureAccumulator add(FeatureAccumulator partial, FeatureAccumulator acc) {
      return acc.merge(partial);
    }
  }
}
