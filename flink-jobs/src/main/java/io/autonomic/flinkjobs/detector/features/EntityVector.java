package io.autonomic.flinkjobs.detector.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entity's multivariate feature vector for one window: the features of each of its series, ordered by
 * metric name, flattened to {@code <metric>:<feature>} names.
 */
public class EntityVector {
  public String entityId;
  public long windowStart;
  public long windowEnd;
  /** The entity's series in this window, sorted by metric. */
  public List<SeriesFeatures> series = new ArrayList<>();
  public Map<String, String> tags;

  public EntityVector() {}

  public EntityVector(String entityId, long windowStart, long windowEnd, List<SeriesFeatures> series) {
    this.entityId = entityId;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.series = new ArrayList<>(series);
    this.series.sort((a, b) -> a.metric.compareTo(b.metric));
    this.tags = this.series.isEmpty() ? Map.of() : this.series.get(this.series.size() - 1).tags;
  }

  /** Flattened names: {@code <metric>:<feature>} for each series and each of {@link SeriesFeatures#NAMES}. */
  public String[] names() {
    String[] names = new String[series.size() * SeriesFeatures.NAMES.length];
    int i = 0;
    for (SeriesFeatures s : series) {
      for (String n : SeriesFeatures.NAMES) {
        names[i++] = s.metric + ":" + n;
      }
    }
    return names;
  }

  /** Flattened values, in the order of {@link #names()}. */
  public double[] values() {
    double[] values = new double[series.size() * SeriesFeatures.NAMES.length];
    int i = 0;
    for (SeriesFeatures s : series) {
      double[] v = s.values();
      System.arraycopy(v, 0, values, i, v.length);
      i += v.length;
    }
    return values;
  }

  @Override
  public String toString() {
    return "EntityVector{" + entityId + " [" + windowStart + "," + windowEnd + ") " + series.size() + " series}";
  }
}
