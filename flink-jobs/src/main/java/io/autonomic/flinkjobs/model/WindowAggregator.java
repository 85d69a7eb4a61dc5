package io.autonomic.flinkjobs.model;

import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The detector's tumbling event-time windows, outside Flink: points go into {@code [start, start + size)} with
 * {@code start = t - t mod size} (Flink's assignment with offset 0), each window accumulates with the detector's own
 * {@link FeatureAccumulator}, and a window is emitted as {@link SeriesFeatures} once the watermark (newest event
 * time minus the allowed out-of-orderness) passes its end, as the detector emits it. A point for an emitted window
 * is late: counted and left out, as the detector leaves it out of its windows. Only windows with points exist, as
 * in Flink. Sliding windows are not reproduced: models are trained on tumbling windows.
 */
public final class WindowAggregator {
  private final long size;
  private final long outOfOrderness;
  private final Map<String, TreeMap<Long, FeatureAccumulator>> open = new HashMap<>();
  private long maxTime = Long.MIN_VALUE;
  private long emittedUpTo = Long.MIN_VALUE;
  private long late;
  private long points;

  public WindowAggregator(long sizeMillis, long outOfOrdernessMillis) {
    if (sizeMillis <= 0) {
      throw new IllegalArgumentException("window size must be positive");
    }
    this.size = sizeMillis;
    this.outOfOrderness = Math.max(0, outOfOrdernessMillis);
  }

  /** Adds one point; NaN and infinite values are ignored, as the accumulator ignores them. */
  public void add(String entityId, String metric, Map<String, String> tags, long time, double value) {
    long start = time - Math.floorMod(time, size);
    if (start + size <= emittedUpTo) {
      late++;
      return;
    }
    points++;
    open.computeIfAbsent(SeriesFeatures.seriesKey(entityId, metric), k -> new TreeMap<>())
        .computeIfAbsent(start, s -> new FeatureAccumulator())
        .add(entityId, metric, tags, time, value);
    maxTime = Math.max(maxTime, time);
  }

  /** The windows whose end the watermark has passed, ordered by window start, then series. */
  public List<SeriesFeatures> drain() {
    if (maxTime == Long.MIN_VALUE) {
      return List.of();
    }
    return drainUpTo(maxTime - outOfOrderness + 1);
  }

  /** Every open window (end of a bounded input). */
  public List<SeriesFeatures> flush() {
    return drainUpTo(Long.MAX_VALUE);
  }

  private List<SeriesFeatures> drainUpTo(long watermarkExclusive) {
    List<SeriesFeatures> out = new ArrayList<>();
    Iterator<Map.Entry<String, TreeMap<Long, FeatureAccumulator>>> series = open.entrySet().iterator();
    while (series.hasNext()) {
      TreeMap<Long, FeatureAccumulator> windows = series.next().getValue();
      while (!windows.isEmpty() && windows.firstKey() + size <= watermarkExclusive) {
        Map.Entry<Long, FeatureAccumulator> w = windows.pollFirstEntry();
        if (w.getValue().count() > 0) {
          out.add(w.getValue().toFeatures(w.getKey(), w.getKey() + size));
        }
      }
      if (windows.isEmpty()) {
        series.remove();
      }
    }
    if (watermarkExclusive != Long.MAX_VALUE) {
      emittedUpTo = Math.max(emittedUpTo, watermarkExclusive);
    }
    out.sort((a, b) -> a.windowStart != b.windowStart ? Long.compare(a.windowStart, b.windowStart)
        : a.seriesKey().compareTo(b.seriesKey()));
    return out;
  }

  /** Points that arrived after their window was emitted. */
  public long latePoints() {
    return late;
  }

  /** Points accepted into windows. */
  public long points() {
    return points;
  }
}
