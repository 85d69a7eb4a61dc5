package io.autonomic.flinkjobs.detector.scoring;

import java.io.Serializable;
import org.apache.commons.math3.special.Erf;

/**
 * Turns a component's raw errors into an anomaly likelihood against the series' own recent error
 * history, as Numenta HTM's AnomalyLikelihood does: the short moving average of the raw error is
 * compared with the mean and spread of the past moving averages (a Gaussian estimate refreshed
 * every {@code reestimationPeriod} points over the last {@code historyLength} points), and the
 * upper-tail probability Q is reported on a log scale, {@code 1 - exp(-(-log10 Q) / 7)}: 0 for
 * ordinary errors, about 0.5 at Q = 1e-5, approaching 1 without ever saturating (so distinct tail
 * probabilities stay distinct). Unlike HTM's two-sided tail, an error below its usual level is
 * never anomalous. One threshold thereby fits series of any scale.
 */
public final class AnomalyLikelihood implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final double LN10 = Math.log(10);

  private final int averagingWindow;
  private final int learningPeriod;
  private final int reestimationPeriod;
  private final double minStd;
  private final double[] recentRaw;
  private final double[] history;
  private int rawCount;
  private double rawSum;
  private int historySize;
  private int historyHead;
  private long seen;
  private double mean;
  private double std;
  private long estimatedAt = -1;

  public AnomalyLikelihood(
      int averagingWindow,
      int learningPeriod,
      int historyLength,
      int reestimationPeriod,
      double minStd) {
    this.averagingWindow = averagingWindow;
    this.learningPeriod = learningPeriod;
    this.reestimationPeriod = reestimationPeriod;
    this.minStd = minStd;
    this.recentRaw = new double[averagingWindow];
    this.history = new double[historyLength];
  }

  /** Feeds one raw error (NaN is ignored and scores 0); returns the log-scaled likelihood. */
  public double update(double raw) {
    if (Double.isNaN(raw)) {
      return 0.0;
    }
    int slot = (int) (seen % averagingWindow);
    if (rawCount == averagingWindow) {
      rawSum -= recentRaw[slot];
    } else {
      rawCount++;
    }
    recentRaw[slot] = raw;
    rawSum += raw;
    double avg = rawSum / rawCount;
    seen++;

    double out = 0.0;
    if (historySize >= learningPeriod && historySize > 1) {
      if (estimatedAt < 0 || seen - estimatedAt >= reestimationPeriod) {
        estimate();
      }
      out = logScaled((avg - mean) / std);
    }
    history[historyHead] = avg;
    historyHead = (historyHead + 1) % history.length;
    historySize = Math.min(historySize + 1, history.length);
    return out;
  }

  private void estimate() {
    double s = 0;
    for (int i = 0; i < historySize; i++) {
      s += history[i];
    }
    double m = s / historySize;
    double v = 0;
    for (int i = 0; i < historySize; i++) {
      double d = history[i] - m;
      v += d * d;
    }
    mean = m;
    std = Math.max(Math.sqrt(v / (historySize - 1)), minStd);
    estimatedAt = seen;
  }

  /** Maps a z value to 1 - exp(-(-log10 Q(z)) / 7), computed in log space for large z. */
  static double logScaled(double z) {
    if (z <= 0) {
      return 0.0;
    }
    double negLog10Q = -logQ(z) / LN10;
    return 1.0 - Math.exp(-negLog10Q / 7.0);
  }

  /** Natural log of the standard normal upper tail probability. */
  static double logQ(double z) {
    if (z < 8) {
      return Math.log(0.5 * Erf.erfc(z / Math.sqrt(2)));
    }
    // Asymptotic expansion: Q(z) ~ phi(z)/z * (1 - 1/z^2 + 3/z^4).
    double z2 = z * z;
    return -0.5 * z2 - Math.log(z * Math.sqrt(2 * Math.PI)) + Math.log(1 - 1 / z2 + 3 / (z2 * z2));
  }

  /** Points fed so far (for tests and diagnostics). */
  public long seen() {
    return seen;
  }
}
