package io.autonomic.flinkjobs.detector.scoring;

import java.io.Serializable;

/**
 * Scores one series point by point, in event-time order, learning as it goes.
 *
 * <p>Contract: {@link #update} may use only the points already passed to it (no look-ahead); the
 * whole state is the object itself (Serializable, so a Flink KeyedProcessFunction keeps one per
 * series in a {@code ValueState}); each call costs O(1) amortised (bounded by the configured
 * window sizes, never by the series length). A missing value is passed as {@code NaN}: it is
 * scored 0 and does not change the model.
 */
public interface SeriesScorer extends Serializable {

  /** Short stable name of the scorer, as used by {@code --detector}. */
  String name();

  /**
   * Version of the model configuration as a decimal number (AnomalyEvent.modelVersions maps the
   * scorer's name to a long).
   */
  String modelVersion();

  /** Scores the point, then learns from it. */
  Score update(long eventTimeMillis, double value);
}
