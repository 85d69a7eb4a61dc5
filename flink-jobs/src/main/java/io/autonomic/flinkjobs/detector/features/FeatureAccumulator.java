package io.autonomic.flinkjobs.detector.features;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.CubicallyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The running features of one series in one window: count, Welford mean and variance, min, max, the first and
 * last point by event time, and a DDSketch for the quantiles.
 *
 * <p>DDSketch, not t-digest: adding a value is an index computation and a counter increment (~30 ns), where
 * t-digest's AVLTreeDigest walks and rebalances a tree (~300 ns) and was the largest cost of the feature step, and
 * MergingDigest allocates ~26 KB of buffers per window. Its error is relative (every quantile within
 * {@link #RELATIVE_ACCURACY} of the true value), which suits latencies and sizes spanning orders of magnitude; the
 * dense store grows with the range of values seen and is capped at {@link #MAX_BINS} bins. Mutable on purpose: the
 * window operator updates it in place for every point.
 */
@TypeInfo(FeatureAccumulatorSerializer.Factory.class)
public final class FeatureAccumulator {
  /** Every reported quantile is within 1% of the true value of that rank. */
  public static final double RELATIVE_ACCURACY = 0.01;
  /** At 1% accuracy 2048 bins span ~18 orders of magnitude; beyond that the lowest bins are merged. */
  public static final int MAX_BINS = 2048;
  /** Value-to-bin mapping, immutable and shared (building one per window showed in the profile). */
  private static final IndexMapping MAPPING = new CubicallyInterpolatedMapping(RELATIVE_ACCURACY);

  String entityId;
  String metric;
  Map<String, String> tags;
  long count;
  double mean;
  double m2;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;
  long firstTime = Long.MAX_VALUE;
  double firstValue;
  long lastTime = Long.MIN_VALUE;
  double lastValue;
  DDSketch sketch;

  public FeatureAccumulator() {}

  /** Adds one observation; {@code tags} of the latest point win. */
  public FeatureAccumulator add(String entityId, String metric, Map<String, String> tags, long time, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return this;
    }
    if (this.entityId == null) {
      this.entityId = entityId;
      this.metric = metric;
    }
    count++;
    double delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (time < firstTime) {
      firstTime = time;
      firstValue = value;
    }
    if (time >= lastTime) {
      lastTime = time;
      lastValue = value;
      if (tags != null) {
        this.tags = tags;
      }
    }
    sketch().accept(value);
    return this;
  }

  /** Merges {@code other} into this one (Chan et al.'s parallel variance), for merging windows and sketches. */
  public FeatureAccumulator merge(FeatureAccumulator other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      entityId = other.entityId;
      metric = other.metric;
    }
    long n = count + other.count;
    double delta = other.mean - mean;
    mean += delta * other.count / n;
    m2 += other.m2 + delta * delta * ((double) count * other.count / n);
    count = n;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    if (other.firstTime < firstTime) {
      firstTime = other.firstTime;
      firstValue = other.firstValue;
    }
    if (other.lastTime >= lastTime) {
      lastTime = other.lastTime;
      lastValue = other.lastValue;
      if (other.tags != null) {
        tags = other.tags;
      }
    }
    if (other.sketch != null) {
      sketch().mergeWith(other.sketch);
    }
    return this;
  }

  public long count() {
    return count;
  }

  /** Event time of the earliest point. */
  public long firstTime() {
    return firstTime;
  }

  /** Event time of the latest point. */
  public long lastTime() {
    return lastTime;
  }

  /** The key of the series these features belong to ({@link SeriesFeatures#seriesKey(String, String)}). */
  public String seriesKey() {
    return SeriesFeatures.seriesKey(entityId, metric);
  }

  /** The features of the window {@code [windowStart, windowEnd)}; NaN-free (zeros when the window is empty). */
  public SeriesFeatures toFeatures(long windowStart, long windowEnd) {
    SeriesFeatures f = new SeriesFeatures();
    f.entityId = entityId;
    f.metric = metric;
    f.windowStart = windowStart;
    f.windowEnd = windowEnd;
    f.tags = tags == null ? Map.of() : tags;
    f.count = count;
    if (count == 0) {
      return f;
    }
    f.mean = mean;
    f.std = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
    f.min = min;
    f.max = max;
    f.last = lastValue;
    f.lastTime = lastTime;
    double seconds = (lastTime - firstTime) / 1000.0;
    f.rate = seconds > 0 ? (lastValue - firstValue) / seconds : 0;
    f.p50 = quantile(0.50);
    f.p95 = quantile(0.95);
    f.p99 = quantile(0.99);
    return f;
  }

  /** The sketch's quantile, kept within the exact min and max (a bin's value may lie just outside them). */
  private double quantile(double q) {
    return Math.max(min, Math.min(max, sketch.getValueAtQuantile(q)));
  }

  DDSketch sketch() {
    if (sketch == null) {
      sketch = newSketch();
    }
    return sketch;
  }

  static DDSketch newSketch() {
    return new DDSketch(MAPPING, FeatureAccumulator::newStore);
  }

  static Store newStore() {
    return new CollapsingLowestDenseStore(MAX_BINS);
  }
}
