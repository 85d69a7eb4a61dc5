package io.autonomic.ingest.normalize;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Histograms as the detector can use them: the observation rate and quantile estimates over the
 * last interval. Cumulative histograms are differenced per series (bucket by bucket, so the quantiles
 * describe the interval, not the process' lifetime); a restart (new start time, or any count going
 * down, or new bucket bounds) primes the series again.
 *
 * <p>Quantiles are estimated as Prometheus' {@code histogram_quantile} does: linear interpolation
 * inside the bucket holding the rank, the lowest bucket starting at 0 (or at its bound when that is
 * negative), and the open +Inf bucket answered with the highest finite bound.
 */
public final class Histograms {
  /** Buckets as OTLP sends them: {@code counts.length == bounds.length + 1}, counts per bucket (not cumulative). */
  public record Buckets(double[] bounds, double[] counts) {
    public Buckets {
      if (counts.length != bounds.length + 1) {
        throw new IllegalArgumentException("expected " + (bounds.length + 1) + " bucket counts for "
            + bounds.length + " bounds, got " + counts.length);
      }
    }

    public double total() {
      double t = 0;
      for (double c : counts) {
        t += c;
      }
      return t;
    }
  }

  /** One interval of a histogram: observations per second, and the buckets of the interval. */
  public record Interval(double ratePerSecond, double count, double sum, Buckets buckets) {}

  private record Last(Buckets buckets, double sum, long timeMillis, long startMillis) {}

  private final Map<String, Last> last = new ConcurrentHashMap<>();

  /**
   * The interval since the previous cumulative sample of the series; empty for the first sample,
   * after a restart, and for a sample that does not advance in time.
   */
  public Optional<Interval> cumulative(String seriesKey, Buckets buckets, double sum, long timeMillis,
      long startMillis) {
    Last previous = last.put(seriesKey, new Last(buckets, sum, timeMillis, startMillis));
    if (previous == null || timeMillis <= previous.timeMillis) {
      if (previous != null && timeMillis < previous.timeMillis) {
        last.put(seriesKey, previous);
      }
      return Optional.empty();
    }
    boolean restarted = startMillis != 0 && previous.startMillis != 0 && startMillis != previous.startMillis;
    if (restarted || !Arrays.equals(previous.buckets.bounds(), buckets.bounds())) {
      return Optional.empty();
    }
    double[] delta = new double[buckets.counts().length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = buckets.counts()[i] - previous.buckets.counts()[i];
      if (delta[i] < 0) {
        return Optional.empty(); // a count went down: the source restarted
      }
    }
    Buckets interval = new Buckets(buckets.bounds(), delta);
    double count = interval.total();
    double seconds = (timeMillis - previous.timeMillis) / 1000.0;
    return Optional.of(new Interval(count / seconds, count, sum - previous.sum, interval));
  }

  /** A delta histogram is already one interval; the rate needs its start time (else none). */
  public static Interval delta(Buckets buckets, double sum, long timeMillis, long startMillis) {
    double count = buckets.total();
    double rate = startMillis > 0 && timeMillis > startMillis ? count / ((timeMillis - startMillis) / 1000.0)
        : Double.NaN;
    return new Interval(rate, count, sum, buckets);
  }

  /** The q-quantile (0..1) of the buckets; NaN when they hold no observation. */
  public static double quantile(Buckets buckets, double q) {
    double total = buckets.total();
    if (total <= 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    double[] bounds = buckets.bounds();
    double[] counts = buckets.counts();
    double rank = Math.max(0, Math.min(1, q)) * total;
    double cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      double before = cumulative;
      cumulative += counts[i];
      if (cumulative >= rank && counts[i] > 0) {
        if (i == bounds.length) {
          return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
        }
        double upper = bounds[i];
        double lower = i == 0 ? Math.min(0, upper) : bounds[i - 1];
        return lower + (upper - lower) * ((rank - before) / counts[i]);
      }
    }
    return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
  }
}
