package io.autonomic.flinkjobs.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Numenta Anomaly Benchmark scoring rules, as NAB 1.x implements them in {@code nab/sweeper.py}
 * (per-row sweep scores, corpus-wide threshold sweep), {@code nab/optimizer.py} (the threshold
 * with the best corpus score wins) and {@code Runner.normalize} (100 * (raw - null) / (perfect -
 * null), with the null detector's raw score and perfect = windows * tpWeight, over the corpus).
 *
 * <p>Hand-written: no Java library implements NAB's scoring, and the benchmark's numbers are only
 * comparable if the rules are followed to the letter, including NAB's quirks (the {@code + 1} in
 * the in-window position, the -1 cap for positions at or beyond 3 window widths, the max-TP
 * scaling, ties resolved toward the higher threshold).
 */
public final class NabScorer {

  /** The probationary fraction of NAB. */
  public static final double PROBATION_PERCENT = 0.15;

  private static final int PROBATIONARY = -2;
  private static final int NO_WINDOW = -1;

  /** One scored series: row timestamps (epoch ms), anomaly scores, labelled windows. */
  public record Series(String name, long[] timestamps, double[] scores, List<long[]> windows) {
    public Series {
      if (timestamps.length != scores.length) {
        throw new IllegalArgumentException(
            name + ": " + timestamps.length + " timestamps but " + scores.length + " scores");
      }
    }
  }

  /** The corpus score at one threshold (NAB's ThresholdScore). */
  public record ThresholdScore(
      double threshold, double score, long tp, long tn, long fp, long fn) {}

  /** The result of one profile: NAB's optimised threshold, raw and normalised score. */
  public record ProfileResult(
      NabProfile profile,
      double threshold,
      double rawScore,
      double nullScore,
      double perfectScore,
      double normalizedScore,
      ThresholdScore counts) {}

  /** One row after the sweep: its anomaly score, weighted score and window (or none). */
  record SweepPoint(double anomalyScore, double sweepScore, int windowId) {}

  private NabScorer() {}

  /** NAB sweeper's scaled sigmoid: -1 at or beyond 3 window widths past a window. */
  static double scaledSigmoid(double relativePositionInWindow) {
    if (relativePositionInWindow >= 3.0) {
      return -1.0;
    }
    return 2.0 / (1.0 + Math.exp(5.0 * relativePositionInWindow)) - 1.0;
  }

  /** NAB's probationary length: min(floor(0.15 n), 0.15 * 5000). */
  public static int probationaryLength(int rows) {
    return (int) Math.min(Math.floor(PROBATION_PERCENT * rows), PROBATION_PERCENT * 5000);
  }

  /** Window [start, end] row indices of a series, as the sweeper finds them by timestamp. */
  static List<int[]> windowIndices(Series s) {
    List<int[]> out = new ArrayList<>();
    long[] ts = s.timestamps();
    for (long[] w : s.windows()) {
      int start = firstIndexAtOrAfter(ts, w[0]);
      int end = lastIndexAtOrBefore(ts, w[1]);
      if (start >= 0 && end >= start) {
        out.add(new int[] {start, end});
      }
    }
    out.sort(Comparator.comparingInt(a -> a[0]));
    return out;
  }

  private static int firstIndexAtOrAfter(long[] ts, long t) {
    for (int i = 0; i < ts.length; i++) {
      if (ts[i] >= t) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexAtOrBefore(long[] ts, long t) {
    // NAB uses timestamps.index(end): the first row with that timestamp.
    int last = -1;
    for (int i = 0; i < ts.length; i++) {
      if (ts[i] == t) {
        return i;
      }
      if (ts[i] < t) {
        last = i;
      }
    }
    return last;
  }

  /**
   * NAB Sweeper.calcSweepScore: one point per row with its weighted score; window ids are
   * {@code windowIdBase + k} for the k-th window of the series.
   */
  static List<SweepPoint> sweep(Series s, NabProfile p, int windowIdBase) {
    List<int[]> windows = windowIndices(s);
    int n = s.scores().length;
    List<SweepPoint> out = new ArrayList<>(n);
    double maxTp = scaledSigmoid(-1.0);
    int probation = probationaryLength(n);
    int next = 0;
    int curId = NO_WINDOW;
    int curRight = -1;
    double curWidth = 0;
    int prevRight = -1;
    double prevWidth = 0;
    for (int i = 0; i < n; i++) {
      if (curId == NO_WINDOW && next < windows.size() && i == windows.get(next)[0]) {
        int[] w = windows.get(next);
        curId = windowIdBase + next;
        curRight = w[1];
        curWidth = w[1] - w[0] + 1;
        next++;
      }
      double weighted;
      if (curId != NO_WINDOW) {
        double position = -(curRight - i + 1) / curWidth;
        weighted = scaledSigmoid(position) * p.tpWeight() / maxTp;
      } else {
        double position;
        if (prevRight < 0) {
          position = 3.0;
        } else if (prevWidth <= 1) {
          // NAB divides by zero here; a one-row window counts as an infinitely narrow one.
          position = 3.0;
        } else {
          position = Math.abs(prevRight - i) / (prevWidth - 1);
        }
        weighted = scaledSigmoid(position) * p.fpWeight();
      }
      int id = i >= probation ? curId : PROBATIONARY;
      out.add(new SweepPoint(s.scores()[i], weighted, id));
      if (curId != NO_WINDOW && i == curRight) {
        prevRight = i;
        prevWidth = curWidth;
        curId = NO_WINDOW;
      }
    }
    return out;
  }

  /** NAB Sweeper.calcScoreByThreshold over any set of sweep points (one file or a corpus). */
  static List<ThresholdScore> scoreByThreshold(List<SweepPoint> points, NabProfile p) {
    List<SweepPoint> scorable = new ArrayList<>(points.size());
    for (SweepPoint sp : points) {
      if (sp.windowId() != PROBATIONARY) {
        scorable.add(sp);
      }
    }
    // Stable sort, descending score, as Python's sorted(..., reverse=True).
    scorable.sort((a, b) -> Double.compare(b.anomalyScore(), a.anomalyScore()));
    Map<Integer, Double> windowParts = new HashMap<>();
    long tn = 0;
    long fn = 0;
    for (SweepPoint sp : scorable) {
      if (sp.windowId() != NO_WINDOW) {
        windowParts.put(sp.windowId(), -p.fnWeight());
        fn++;
      } else {
        tn++;
      }
    }
    double windowSum = windowParts.size() * -p.fnWeight();
    double fpPart = 0;
    long tp = 0;
    long fp = 0;
    List<ThresholdScore> out = new ArrayList<>();
    double threshold = 1.1;
    for (SweepPoint sp : scorable) {
      if (sp.anomalyScore() != threshold) {
        out.add(new ThresholdScore(threshold, fpPart + windowSum, tp, tn, fp, fn));
        threshold = sp.anomalyScore();
      }
      if (sp.windowId() == NO_WINDOW) {
        fp++;
        tn--;
        fpPart += sp.sweepScore();
      } else {
        tp++;
        fn--;
        double old = windowParts.get(sp.windowId());
        if (sp.sweepScore() > old) {
          windowParts.put(sp.windowId(), sp.sweepScore());
          windowSum += sp.sweepScore() - old;
        }
      }
    }
    out.add(new ThresholdScore(threshold, fpPart + windowSum, tp, tn, fp, fn));
    return out;
  }

  /** The best threshold of a corpus (NAB optimizeThreshold): highest score, first on ties. */
  static ThresholdScore optimize(List<Series> corpus, NabProfile p) {
    List<SweepPoint> all = new ArrayList<>();
    int base = 0;
    for (Series s : corpus) {
      all.addAll(sweep(s, p, base));
      base += s.windows().size();
    }
    ThresholdScore best = null;
    for (ThresholdScore t : scoreByThreshold(all, p)) {
      if (best == null || t.score() > best.score()) {
        best = t;
      }
    }
    return best;
  }

  /** Scores a corpus for one profile as NAB does, including normalisation against null. */
  public static ProfileResult score(List<Series> corpus, NabProfile p) {
    ThresholdScore best = optimize(corpus, p);
    List<Series> nullCorpus = new ArrayList<>(corpus.size());
    int windows = 0;
    for (Series s : corpus) {
      double[] half = new double[s.scores().length];
      Arrays.fill(half, 0.5);
      nullCorpus.add(new Series(s.name(), s.timestamps(), half, s.windows()));
      windows += windowIndices(s).size();
    }
    double nullScore = optimize(nullCorpus, p).score();
    double perfect = windows * p.tpWeight();
    double normalized =
        perfect == nullScore ? 0.0 : 100.0 * (best.score() - nullScore) / (perfect - nullScore);
    return new ProfileResult(p, best.threshold(), best.score(), nullScore, perfect, normalized, best);
  }

  /** The raw NAB score of one series at a given threshold (NAB's per-file score). */
  public static double fileScore(Series s, NabProfile p, double threshold) {
    List<SweepPoint> points = sweep(s, p, 0);
    Map<Integer, Double> windowParts = new HashMap<>();
    double fpPart = 0;
    for (SweepPoint sp : points) {
      if (sp.windowId() == PROBATIONARY) {
        continue;
      }
      if (sp.windowId() != NO_WINDOW) {
        windowParts.putIfAbsent(sp.windowId(), -p.fnWeight());
      }
      if (sp.anomalyScore() >= threshold) {
        if (sp.windowId() == NO_WINDOW) {
          fpPart += sp.sweepScore();
        } else {
          windowParts.merge(sp.windowId(), sp.sweepScore(), Math::max);
        }
      }
    }
    double sum = fpPart;
    for (double v : windowParts.values()) {
      sum += v;
    }
    return sum;
  }

  /**
   * Where one series' raw score comes from at a threshold: per window the first detection's row
   * and reward (or -fnWeight if missed), and the false alarms (rows at or above the threshold
   * outside every window) with their summed cost. For diagnostics ("FPs or missed windows?").
   */
  public record FileDetail(
      double score, List<String> windows, int falsePositives, double falsePositiveCost) {}

  /** The {@link FileDetail} of one series at a threshold. */
  public static FileDetail fileDetail(Series s, NabProfile p, double threshold) {
    List<int[]> idx = windowIndices(s);
    List<SweepPoint> points = sweep(s, p, 0);
    int[] first = new int[idx.size()];
    java.util.Arrays.fill(first, -1);
    double[] reward = new double[idx.size()];
    java.util.Arrays.fill(reward, -p.fnWeight());
    boolean[] scored = new boolean[idx.size()];
    int fps = 0;
    double fpCost = 0;
    for (int i = 0; i < points.size(); i++) {
      SweepPoint sp = points.get(i);
      if (sp.windowId() == PROBATIONARY) {
        continue;
      }
      if (sp.windowId() != NO_WINDOW) {
        scored[sp.windowId()] = true;
      }
      if (sp.anomalyScore() < threshold) {
        continue;
      }
      if (sp.windowId() == NO_WINDOW) {
        fps++;
        fpCost += sp.sweepScore();
      } else if (first[sp.windowId()] < 0) {
        first[sp.windowId()] = i;
        reward[sp.windowId()] = sp.sweepScore();
      }
    }
    List<String> ws = new ArrayList<>();
    double sum = fpCost;
    for (int k = 0; k < idx.size(); k++) {
      if (!scored[k]) {
        ws.add("[" + idx.get(k)[0] + "-" + idx.get(k)[1] + " probationary]");
        continue;
      }
      sum += reward[k];
      ws.add(String.format(java.util.Locale.ROOT, "[%d-%d %s %+.2f]", idx.get(k)[0], idx.get(k)[1],
          first[k] < 0 ? "missed" : "hit@" + first[k], reward[k]));
    }
    return new FileDetail(sum, ws, fps, fpCost);
  }
}
