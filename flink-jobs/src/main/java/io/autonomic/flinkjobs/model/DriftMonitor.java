package io.autonomic.flinkjobs.model;

import java.util.Arrays;

/**
 * Decides when a model no longer fits its series: it holds the raw errors of the last {@code size} inputs scored
 * with the model and reports drift once they are all in and their median exceeds the model's own
 * {@code error.p99} from training. The median, not the mean or a single error, so one anomaly does not trigger a
 * retrain (it would teach the model the anomaly) while a lasting change in half the recent windows does.
 */
public final class DriftMonitor {
  private final double[] errors;
  private final double p99;
  private int count;
  private int head;

  public DriftMonitor(int size, double errorP99) {
    this.errors = new double[size];
    this.p99 = errorP99;
  }

  /** Records one raw error (NaN is ignored). */
  public void add(double error) {
    if (Double.isNaN(error)) {
      return;
    }
    errors[head] = error;
    head = (head + 1) % errors.length;
    count = Math.min(count + 1, errors.length);
  }

  /** The median of the recent errors (NaN before any). */
  public double median() {
    if (count == 0) {
      return Double.NaN;
    }
    double[] s = Arrays.copyOf(errors, count);
    Arrays.sort(s);
    return count % 2 == 1 ? s[count / 2] : (s[count / 2 - 1] + s[count / 2]) / 2;
  }

  /** Whether the window of recent errors is full and its median is above the model's error.p99. */
  public boolean drifted() {
    return count == errors.length && median() > p99;
  }
}
