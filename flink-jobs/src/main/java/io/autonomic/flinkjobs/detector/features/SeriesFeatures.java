package io.autonomic.flinkjobs.detector.features;

import java.util.Map;
import java.util.Objects;

/**
 * The features of one series (entity + metric) in one event-time window. A Flink POJO (public fields, no-arg
 * constructor) so it is serialized without Kryo.
 */
public class SeriesFeatures {
  /** Feature names, in the order of {@link #values()}. */
  public static final String[] NAMES = {"count", "mean", "std", "min", "max", "last", "rate", "p50", "p95", "p99"};

  public String entityId;
  public String metric;
  public long windowStart;
  public long windowEnd;
  public long count;
  public double mean;
  public double std;
  public double min;
  public double max;
  public double last;
  /** Event time of {@link #last}. */
  public long lastTime;
  /** Change per second from the first to the last point of the window (0 with one point). */
  public double rate;
  public double p50;
  public double p95;
  public double p99;
  public Map<String, String> tags;
  /** The window's score, set by the series scoring step; null before it. */
  public io.autonomic.flinkjobs.detector.anomaly.WindowScore score;

  public SeriesFeatures() {}

  /** The feature values in the order of {@link #NAMES}. */
  public double[] values() {
    return new double[] {count, mean, std, min, max, last, rate, p50, p95, p99};
  }

  /** The key of the series: entity and metric, separated by a control character no name contains. */
  public String seriesKey() {
    return seriesKey(entityId, metric);
  }

  public static String seriesKey(String entityId, String metric) {
    return entityId + '\u001f' + metric;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SeriesFeatures f)) {
      return false;
    }
    return windowStart == f.windowStart && windowEnd == f.windowEnd && count == f.count && f.mean == mean
        && f.std == std && f.min == min && f.max == max && f.last == last && lastTime == f.lastTime
        && f.rate == rate && f.p50 == p50 && f.p95 == p95 && f.p99 == p99 && Objects.equals(entityId, f.entityId)
        && Objects.equals(metric, f.metric) && Objects.equals(tags, f.tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(entityId, metric, windowStart, windowEnd, count, mean);
  }

  @Override
  public String toString() {
    return "SeriesFeatures{" + entityId + "/" + metric + " [" + windowStart + "," + windowEnd + ") n=" + count
        + " mean=" + mean + " std=" + std + " min=" + min + " max=" + max + " last=" + last + " rate=" + rate
        + " p50=" + p50 + " p95=" + p95 + " p99=" + p99 + "}";
  }
}
