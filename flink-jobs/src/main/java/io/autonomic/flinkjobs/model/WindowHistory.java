package io.autonomic.flinkjobs.model;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The recent windows of each series (at most {@code capacity} per series, oldest dropped), and from them the
 * training rows of the two model kinds: a series' selected features window by window (LSTM), or an entity's
 * series joined per window start as {@code <metric>:<feature>} (dense; NaN where a series has no window).
 */
public final class WindowHistory {
  private final int capacity;
  private final Map<String, ArrayDeque<SeriesFeatures>> series = new HashMap<>();
  private final Map<String, TreeSet<String>> metricsByEntity = new TreeMap<>();

  public WindowHistory(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a window; windows of a series must come in window-start order (a repeat of the last one replaces it). */
  public void add(SeriesFeatures f) {
    ArrayDeque<SeriesFeatures> q = series.computeIfAbsent(f.seriesKey(), k -> new ArrayDeque<>());
    if (!q.isEmpty() && q.peekLast().windowStart >= f.windowStart) {
      if (q.peekLast().windowStart == f.windowStart) {
        q.pollLast();
      } else {
        return;
      }
    }
    q.addLast(f);
    if (q.size() > capacity) {
      q.pollFirst();
    }
    metricsByEntity.computeIfAbsent(f.entityId, e -> new TreeSet<>()).add(f.metric);
  }

  public void addAll(List<SeriesFeatures> windows) {
    windows.forEach(this::add);
  }

  /** Entity ids, sorted. */
  public List<String> entities() {
    return List.copyOf(metricsByEntity.keySet());
  }

  /** Metrics of an entity, sorted. */
  public List<String> metrics(String entityId) {
    return List.copyOf(metricsByEntity.getOrDefault(entityId, new TreeSet<>()));
  }

  /** Windows held for a series. */
  public int windows(String entityId, String metric) {
    ArrayDeque<SeriesFeatures> q = series.get(SeriesFeatures.seriesKey(entityId, metric));
    return q == null ? 0 : q.size();
  }

  /** Distinct window starts held for an entity (any of its series). */
  public int entityWindows(String entityId) {
    return windowStarts(entityId).size();
  }

  /** The windows of a series, oldest first. */
  public List<SeriesFeatures> windowsOf(String entityId, String metric) {
    ArrayDeque<SeriesFeatures> q = series.get(SeriesFeatures.seriesKey(entityId, metric));
    return q == null ? List.of() : List.copyOf(q);
  }

  /** The LSTM training set of a series over the selected features. */
  public TrainingSet seriesSet(String entityId, String metric, List<String> features) {
    List<SeriesFeatures> windows = windowsOf(entityId, metric);
    int[] idx = indexes(features);
    List<double[]> rows = new ArrayList<>(windows.size());
    for (SeriesFeatures w : windows) {
      double[] all = w.values();
      double[] row = new double[idx.length];
      for (int j = 0; j < idx.length; j++) {
        row[j] = all[idx[j]];
      }
      rows.add(row);
    }
    long from = windows.isEmpty() ? 0 : windows.get(0).windowStart;
    long to = windows.isEmpty() ? 0 : windows.get(windows.size() - 1).windowEnd;
    return new TrainingSet(ModelKind.LSTM, ModelKind.seriesKey(entityId, metric), features, rows, from, to);
  }

  /** The dense feature names of an entity: each of its metrics (sorted) times the selected features. */
  public List<String> entityFeatures(String entityId, List<String> features) {
    List<String> names = new ArrayList<>();
    for (String m : metrics(entityId)) {
      for (String f : features) {
        names.add(m + ":" + f);
      }
    }
    return names;
  }

  /** The dense training set of an entity over {@code names} ({@code <metric>:<feature>}), one row per window. */
  public TrainingSet entitySet(String entityId, List<String> names) {
    TreeMap<Long, double[]> rows = new TreeMap<>();
    TreeMap<Long, Long> ends = new TreeMap<>();
    Map<String, Integer> featureIndex = new HashMap<>();
    for (int i = 0; i < SeriesFeatures.NAMES.length; i++) {
      featureIndex.put(SeriesFeatures.NAMES[i], i);
    }
    for (int j = 0; j < names.size(); j++) {
      String name = names.get(j);
      int colon = name.lastIndexOf(':');
      String metric = name.substring(0, colon);
      int fi = featureIndex.getOrDefault(name.substring(colon + 1), -1);
      for (SeriesFeatures w : windowsOf(entityId, metric)) {
        double[] row = rows.computeIfAbsent(w.windowStart, s -> nanRow(names.size()));
        ends.put(w.windowStart, w.windowEnd);
        row[j] = fi < 0 ? Double.NaN : w.values()[fi];
      }
    }
    long from = rows.isEmpty() ? 0 : rows.firstKey();
    long to = ends.isEmpty() ? 0 : ends.lastEntry().getValue();
    return new TrainingSet(ModelKind.DENSE, ModelKind.entityKey(entityId), names, new ArrayList<>(rows.values()),
        from, to);
  }

  private TreeSet<Long> windowStarts(String entityId) {
    TreeSet<Long> starts = new TreeSet<>();
    for (String m : metrics(entityId)) {
      for (SeriesFeatures w : windowsOf(entityId, m)) {
        starts.add(w.windowStart);
      }
    }
    return starts;
  }

  private static double[] nanRow(int n) {
    double[] r = new double[n];
    Arrays.fill(r, Double.NaN);
    return r;
  }

  /** Positions of the named features in {@link SeriesFeatures#NAMES}; throws naming an unknown one. */
  public static int[] indexes(List<String> features) {
    List<String> all = Arrays.asList(SeriesFeatures.NAMES);
    int[] idx = new int[features.size()];
    for (int j = 0; j < idx.length; j++) {
      idx[j] = all.indexOf(features.get(j));
      if (idx[j] < 0) {
        throw new IllegalArgumentException("unknown feature '" + features.get(j) + "'; known: "
            + String.join(", ", SeriesFeatures.NAMES));
      }
    }
    return idx;
  }
}
