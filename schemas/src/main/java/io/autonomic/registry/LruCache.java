package io.autonomic.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small thread-safe least-recently-used map; loads run outside the lock (they may be HTTP calls). */
final class LruCache<K, V> {
  private final Map<K, V> map;

  LruCache(int capacity) {
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized V get(K key) {
    return map.get(key);
  }

  synchronized void put(K key, V value) {
    map.put(key, value);
  }

  synchronized int size() {
    return map.size();
  }

  /** The cached value, or the loaded one (cached unless the load throws). */
  V computeIfAbsent(K key, Function<K, V> loader) {
    V value = get(key);
    if (value == null) {
      value = loader.apply(key);
      put(key, value);
    }
    return value;
  }
}
