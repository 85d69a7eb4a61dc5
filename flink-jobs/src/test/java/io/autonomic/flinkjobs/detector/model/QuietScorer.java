package io.autonomic.flinkjobs.detector.model;

import io.autonomic.flinkjobs.detector.scoring.Score;
import io.autonomic.flinkjobs.detector.scoring.SeriesScorer;

/** A statistical scorer that never finds anything: every anomaly in a test that uses it comes from a model. */
public final class QuietScorer implements SeriesScorer {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "quiet";
  }

  @Override
  public String modelVersion() {
    return "1";
  }

  @Override
  public Score update(long eventTimeMillis, double value) {
    return new Score(0, 0, value);
  }
}
