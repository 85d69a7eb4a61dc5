package io.autonomic.flinkjobs.detector.features;

import io.autonomic.avro.MetricPoint;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * A point's series key ({@link SeriesFeatures#seriesKey(String, String)}). The decoders intern entity ids and metric
 * names, so a repeated (entity, metric) pair arrives as the same two instances: their key is built once and handed
 * back from a small identity-keyed cache, with its hash code already computed, instead of a new string to hash for
 * every point (the key is hashed for the partitioner, the key group and the state map).
 */
public final class SeriesKeySelector implements KeySelector<MetricPoint, String> {
  private static final long serialVersionUID = 1L;
  private static final int SLOTS = 1 << 14; // a power of two; 1000 series collide in ~3% of slots

  private transient String[] entities;
  private transient String[] metrics;
  private transient String[] keys;

  @Override
  public String getKey(MetricPoint p) {
    String entity = p.getEntityId();
    String metric = p.getMetric();
    if (keys == null) {
      entities = new String[SLOTS];
      metrics = new String[SLOTS];
      keys = new String[SLOTS];
    }
    int h = System.identityHashCode(entity) * 31 + System.identityHashCode(metric);
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    if (entities[slot] == entity && metrics[slot] == metric) {
      return keys[slot];
    }
    String key = SeriesFeatures.seriesKey(entity, metric);
    entities[slot] = entity;
    metrics[slot] = metric;
    keys[slot] = key;
    return key;
  }
}
