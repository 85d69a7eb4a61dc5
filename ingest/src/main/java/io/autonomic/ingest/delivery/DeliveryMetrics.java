package io.autonomic.ingest.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's delivery counters, by collector, in Micrometer: {@code ingest.points.collected},
 * {@code .sent} (acknowledged by Kafka), {@code .spooled} (written to the disk spool),
 * {@code .dropped} (by reason: {@code spool_full}, {@code cardinality}, {@code non_finite}) and
 * {@code .failed} (could not be serialized or were refused by the broker for good).
 * Once all is flushed, collected = sent + dropped + failed.
 */
public final class DeliveryMetrics {
  public static final String COLLECTED = "ingest.points.collected";
  public static final String SENT = "ingest.points.sent";
  public static final String SPOOLED = "ingest.points.spooled";
  public static final String DROPPED = "ingest.points.dropped";
  public static final String FAILED = "ingest.points.failed";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public DeliveryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  private Counter counter(String name, String collector, String reason) {
    String key = name + '|' + collector + '|' + reason;
    return counters.computeIfAbsent(key, k -> {
      Counter.Builder b = Counter.builder(name).tag("collector", collector);
      if (reason != null) {
        b.tag("reason", reason);
      }
      return b.register(registry);
    });
  }

  public void collected(String collector) {
    counter(COLLECTED, collector, null).increment();
  }

  public void sent(String collector) {
    counter(SENT, collector, null).increment();
  }

  public void spooled(String collector, long n) {
    counter(SPOOLED, collector, null).increment(n);
  }

  public void dropped(String collector, String reason, long n) {
    counter(DROPPED, collector, reason).increment(n);
  }

  public void failed(String collector) {
    counter(FAILED, collector, null).increment();
  }

  /** The total of a counter over all collectors (and reasons). */
  public long total(String name) {
    return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** The value of a counter for one collector (all reasons). */
  public long count(String name, String collector) {
    return (long) registry.find(name).tag("collector", collector).counters().stream().mapToDouble(Counter::count).sum();
  }
}
