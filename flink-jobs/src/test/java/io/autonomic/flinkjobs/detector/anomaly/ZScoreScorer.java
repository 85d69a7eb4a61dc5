package io.autonomic.flinkjobs.detector.anomaly;

import io.autonomic.flinkjobs.detector.scoring.Score;
import io.autonomic.flinkjobs.detector.scoring.SeriesScorer;

/**
 * A fixed fake scorer for pipeline tests: the larger of a step z-score (change from the previous value, against the
 * running spread of such changes; likelihood z/10) and a level z-score (against the running mean and spread of all
 * values; likelihood z/5), capped at 1.
 */
public final class ZScoreScorer implements SeriesScorer {
  private static final long serialVersionUID = 1L;
  private long n;
  private double mean;
  private double m2;
  private double previous = Double.NaN;
  private long steps;
  private double stepM2;

  @Override
  public String name() {
    return "zscore";
  }

  @Override
  public String modelVersion() {
    return "7";
  }

  @Override
  public Score update(long eventTimeMillis, double value) {
    Score s;
    if (n < 3) {
      s = Score.none(mean);
    } else {
      double std = Math.sqrt(m2 / (n - 1));
      double stepStd = steps > 1 ? Math.sqrt(stepM2 / steps) : 0;
      double level = Math.abs(value - mean) / Math.max(std, 1e-3);
      double step = Math.abs(value - previous) / Math.max(stepStd, 1e-3);
      s = new Score(Math.max(level, step), Math.min(1, Math.max(level / 5, step / 10)), mean);
    }
    if (!Double.isNaN(previous)) {
      steps++;
      stepM2 += (value - previous) * (value - previous);
    }
    previous = value;
    n++;
    double d = value - mean;
    mean += d / n;
    m2 += d * (value - mean);
    return s;
  }
}
