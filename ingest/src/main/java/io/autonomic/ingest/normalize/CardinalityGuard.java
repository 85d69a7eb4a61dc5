package io.autonomic.ingest.normalize;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code maxSeries} distinct series (entity, metric, tags) per agent. A point of a new series
 * beyond the limit is dropped and counted, per metric; the first drop logs ONE warning naming the
 * offending metric, later drops only count (a label explosion would otherwise flood the log).
 * Series already admitted keep flowing. Thread-safe.
 *
 * <p>Memory: one key string per admitted series, so the limit also bounds the guard's own size.
 */
public final class CardinalityGuard {
  private static final Logger LOG = LoggerFactory.getLogger(CardinalityGuard.class);

  private final int maxSeries;
  private final Set<String> series = ConcurrentHashMap.newKeySet();
  private final AtomicLong admittedCount = new AtomicLong();
  private final Map<String, LongAdder> droppedByMetric = new ConcurrentHashMap<>();
  private final LongAdder dropped = new LongAdder();
  private final AtomicBoolean warned = new AtomicBoolean();

  public CardinalityGuard(int maxSeries) {
    if (maxSeries <= 0) {
      throw new IllegalArgumentException("maxSeries must be positive, got " + maxSeries);
    }
    this.maxSeries = maxSeries;
  }

  /** A guard that admits everything (for tests and for replay of a single series). */
  public static CardinalityGuard unlimited() {
    return new CardinalityGuard(Integer.MAX_VALUE);
  }

  /** True when the point may pass: its series is known, or there is room for one more. */
  public boolean admit(String entityId, String metric, Map<String, String> tags) {
    String key = seriesKey(entityId, metric, tags);
    if (series.contains(key)) {
      return true;
    }
    while (true) {
      long n = admittedCount.get();
      if (n >= maxSeries) {
        break;
      }
      if (admittedCount.compareAndSet(n, n + 1)) {
        if (series.add(key)) {
          return true;
        }
        admittedCount.decrementAndGet();
        return true; // another thread admitted the same series meanwhile
      }
    }
    dropped.increment();
    droppedByMetric.computeIfAbsent(metric, m -> new LongAdder()).increment();
    if (warned.compareAndSet(false, true)) {
      LOG.warn("cardinality limit reached: max.series={} metric={} entity={}; points of new series are "
          + "dropped and counted (ingest.points.dropped reason=cardinality)", maxSeries, metric, entityId);
    }
    return false;
  }

  /** The identity of a series: entity, metric and tags in key order. */
  public static String seriesKey(String entityId, String metric, Map<String, String> tags) {
    StringBuilder sb = new StringBuilder(64).append(entityId).append('\u0000').append(metric);
    Map<String, String> sorted = tags instanceof TreeMap ? tags : new TreeMap<>(tags);
    sorted.forEach((k, v) -> sb.append('\u0000').append(k).append('=').append(v));
    return sb.toString();
  }

  public int maxSeries() {
    return maxSeries;
  }

  public int seriesCount() {
    return (int) Math.min(Integer.MAX_VALUE, admittedCount.get());
  }

  /** Points dropped because their series would exceed the limit. */
  public long droppedPoints() {
    return dropped.sum();
  }

  /** Dropped points per metric name, for operators looking for the label explosion. */
  public Map<String, Long> droppedByMetric() {
    Map<String, Long> out = new TreeMap<>();
    droppedByMetric.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
