package io.autonomic.flinkjobs.eval;

import java.util.List;

/**
 * Point and event precision/recall at one threshold, over the scored (non-probationary) rows.
 * Point: a row is detected if its score is at or above the threshold; positives are rows inside
 * windows. Event: a window is detected if any of its rows is; a false alarm is a run of
 * consecutive detected rows outside every window; event precision = detected windows /
 * (detected windows + false alarms).
 */
public final class DetectionMetrics {

  /** The metrics. */
  public record Result(
      long pointTp, long pointFp, long pointFn, int windows, int windowsDetected,
      int falseAlarms) {

    public double pointPrecision() {
      return ratio(pointTp, pointTp + pointFp);
    }

    public double pointRecall() {
      return ratio(pointTp, pointTp + pointFn);
    }

    public double eventPrecision() {
      return ratio(windowsDetected, windowsDetected + falseAlarms);
    }

    public double eventRecall() {
      return ratio(windowsDetected, windows);
    }

    private static double ratio(double a, double b) {
      return b == 0 ? 0.0 : a / b;
    }
  }

  private DetectionMetrics() {}

  public static Result compute(List<NabScorer.Series> corpus, double threshold) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    int windows = 0;
    int detected = 0;
    int alarms = 0;
    for (NabScorer.Series s : corpus) {
      int n = s.scores().length;
      int probation = NabScorer.probationaryLength(n);
      boolean[] inWindow = new boolean[n];
      for (int[] w : NabScorer.windowIndices(s)) {
        boolean hit = false;
        boolean counted = false;
        for (int i = w[0]; i <= w[1]; i++) {
          inWindow[i] = true;
          if (i >= probation) {
            counted = true;
            hit |= s.scores()[i] >= threshold;
          }
        }
        if (counted) {
          windows++;
          if (hit) {
            detected++;
          }
        }
      }
      boolean previousAlarm = false;
      for (int i = probation; i < n; i++) {
        boolean on = s.scores()[i] >= threshold;
        if (inWindow[i]) {
          if (on) {
            tp++;
          } else {
            fn++;
          }
          previousAlarm = false;
        } else {
          if (on) {
            fp++;
            if (!previousAlarm) {
              alarms++;
            }
          }
          previousAlarm = on;
        }
      }
    }
    return new Result(tp, fp, fn, windows, detected, alarms);
  }
}
