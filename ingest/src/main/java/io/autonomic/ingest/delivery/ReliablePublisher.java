package io.autonomic.ingest.delivery;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes points to Kafka in the order they were published, exactly once across broker outages.
 *
 * <p>How: every point gets a sequence number and enters one ordered backlog: a bounded memory queue
 * while the spool is empty, the {@link DiskSpool} once the queue is full (so the disk only ever holds
 * points newer than those in memory, and reading memory first, then disk, keeps the order). One
 * sender thread moves points from the backlog to an idempotent producer ({@code acks=all},
 * unlimited delivery timeout, so the producer retries through an outage without reordering or
 * duplicating) with at most {@code maxInFlight} unacknowledged. A spooled point is deleted only once
 * its send is acknowledged. During an outage the in-flight window and the memory queue fill and new
 * points go to disk; when the broker returns they drain in order.
 *
 * <p>Shutdown flushes; what the broker has not acknowledged by the deadline is written to the spool
 * (the unacknowledged memory points as a segment that sorts first) and sent on the next start.
 */
public final class ReliablePublisher implements TelemetrySink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReliablePublisher.class);
  private static final int PENDING = 0;
  private static final int OK = 1;
  private static final int RETRY = 2;
  private static final int FAILED = 3;

  /**
   * Sizes of the memory stages, how long shutdown waits for the broker, and how long without any
   * acknowledgment counts as an outage ({@code stallTimeout}): while acknowledgments flow, a full memory
   * queue makes publishers wait (back-pressure); only a stalled broker sends new points to disk.
   */
  public record Settings(int memoryRecords, int maxInFlight, Duration shutdownTimeout, Duration stallTimeout) {
    public Settings(int memoryRecords, int maxInFlight, Duration shutdownTimeout) {
      this(memoryRecords, maxInFlight, shutdownTimeout, Duration.ofSeconds(5));
    }
  }

  private static final class InFlight implements Callback {
    final SpoolRecord record;
    final boolean fromMemory;
    volatile int state = PENDING;
    volatile Exception error;
    volatile Thread waiter;

    InFlight(SpoolRecord record, boolean fromMemory) {
      this.record = record;
      this.fromMemory = fromMemory;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception == null) {
        state = OK;
      } else {
        error = exception;
        state = exception instanceof RetriableException ? RETRY : FAILED;
      }
      Thread t = waiter;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  private final Supplier<Producer<byte[], byte[]>> producerFactory;
  private final Serializer<SpecificRecord> valueSerializer;
  private final DeliveryMetrics metrics;
  private final Settings settings;
  private final DiskSpool spool;

  private final ReentrantLock lock = new ReentrantLock();
  private final java.util.concurrent.locks.Condition notFull = lock.newCondition();
  private int waiting;
  private volatile long lastProgressNanos = System.nanoTime();
  private final ArrayDeque<SpoolRecord> memory = new ArrayDeque<>();
  private long nextSeq;
  private volatile boolean accepting = true;
  private volatile boolean running = true;

  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private Producer<byte[], byte[]> producer;
  private InFlight stalled;
  private long lastCheckpointNanos;
  private final Thread sender;
  private final Set<String> warnedFailures = ConcurrentHashMap.newKeySet();

  public ReliablePublisher(Supplier<Producer<byte[], byte[]>> producerFactory, Serializer<SpecificRecord> valueSerializer,
      Path spoolDir, long spoolMaxBytes, long spoolSegmentBytes, DeliveryMetrics metrics, Settings settings) {
    this.producerFactory = producerFactory;
    this.valueSerializer = valueSerializer;
    this.metrics = metrics;
    this.settings = settings;
    this.spool = new DiskSpool(spoolDir, spoolMaxBytes, spoolSegmentBytes, dropped -> {
      long total = dropped.values().stream().mapToLong(Long::longValue).sum();
      dropped.forEach((collector, n) -> metrics.dropped(collector, "spool_full", n));
      LOG.warn("spool full: dropped the {} oldest points ({}) to make room; spool.dir={} spool.max.bytes={}",
          total, dropped, spoolDir, spoolMaxBytes);
    });
    this.nextSeq = spool.maxSeq() + 1;
    if (spool.hasUnread()) {
      LOG.info("spool holds {} points from a previous run; sending them first", spool.unreadRecords());
    }
    this.producer = producerFactory.get();
    io.micrometer.core.instrument.Gauge.builder("ingest.spool.bytes", this, p -> p.spoolBytes()).register(metrics.registry());
    io.micrometer.core.instrument.Gauge.builder("ingest.spool.points", this, p -> p.spoolPoints()).register(metrics.registry());
    this.sender = new Thread(this::sendLoop, "ingest-sender");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  @Override
  public void metric(String collector, MetricPoint point) {
    publish(Topics.METRICS.name(), collector, point.getEntityId(), point);
  }

  @Override
  public void log(String collector, LogRecord record) {
    publish(Topics.LOGS.name(), collector, record.getEntityId(), record);
  }

  /** Serializes and enqueues one record; never blocks on the broker. */
  public void publish(String topic, String collector, String key, SpecificRecord value) {
    metrics.collected(collector);
    byte[] bytes;
    try {
      bytes = valueSerializer.serialize(topic, value);
    } catch (RuntimeException e) {
      fail(collector, "serialize", e);
      return;
    }
    publishSerialized(topic, collector, key == null ? null : key.getBytes(StandardCharsets.UTF_8), bytes);
  }

  /** Enqueues an already serialized record (replay, benchmarks); counts it as collected first. */
  public void publishSerialized(String topic, String collector, byte[] key, byte[] value) {
    lock.lock();
    try {
      if (!accepting) {
        fail(collector, "closed", new IllegalStateException("publisher is closed"));
        return;
      }
      long stallNanos = settings.stallTimeout().toNanos();
      while (!spool.hasUnread() && memory.size() >= settings.memoryRecords() && accepting
          && System.nanoTime() - lastProgressNanos < stallNanos) {
        waiting++;
        try {
          notFull.awaitNanos(20_000_000L);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } finally {
          waiting--;
        }
      }
      SpoolRecord r = new SpoolRecord(nextSeq++, topic, collector, key, value);
      if (!spool.hasUnread() && memory.size() < settings.memoryRecords()) {
        memory.addLast(r);
      } else {
        spool.append(r);
        metrics.spooled(collector, 1);
      }
    } finally {
      lock.unlock();
    }
    LockSupport.unpark(sender);
  }

  private void fail(String collector, String stage, Exception e) {
    metrics.failed(collector);
    if (warnedFailures.add(stage + ':' + e.getClass().getName())) {
      LOG.warn("point failed at {}: collector={} error={}; further failures of this kind are only counted "
          + "(ingest.points.failed)", stage, collector, e.getMessage());
    }
  }

  public long spoolPoints() {
    lock.lock();
    try {
      return spool.unreadRecords();
    } finally {
      lock.unlock();
    }
  }

  public long spoolBytes() {
    lock.lock();
    try {
      return spool.bytes();
    } finally {
      lock.unlock();
    }
  }

  /** Points published but not yet acknowledged (memory, spool and in flight). */
  public long backlog() {
    lock.lock();
    try {
      return memory.size() + spool.unreadRecords() + inFlightSize;
    } finally {
      lock.unlock();
    }
  }

  private volatile int inFlightSize;

  private void sendLoop() {
    while (running) {
      boolean progress = retire();
      progress |= fill();
      inFlightSize = inFlight.size() + (stalled != null ? 1 : 0);
      maybeCheckpoint();
      if (!progress) {
        LockSupport.parkNanos(this, stalled != null ? 100_000_000L : 20_000_000L);
      }
    }
  }

  /** Retires acknowledged records from the head of the in-flight window, in order. */
  private boolean retire() {
    boolean progress = false;
    long ackedThrough = -1;
    while (!inFlight.isEmpty()) {
      InFlight head = inFlight.peekFirst();
      int state = head.state;
      if (state == PENDING) {
        break;
      }
      if (state == RETRY) {
        if (inFlight.stream().anyMatch(f -> f.state == PENDING)) {
          break; // resend only once nothing later is still on its way, to keep the order
        }
        head.state = PENDING;
        try {
          producer.send(toProducerRecord(head.record), head);
        } catch (KafkaException e) {
          head.state = RETRY;
          break;
        }
        break;
      }
      inFlight.pollFirst();
      if (state == OK) {
        metrics.sent(head.record.collector());
      } else {
        fail(head.record.collector(), "broker", head.error);
      }
      ackedThrough = head.record.seq();
      progress = true;
    }
    if (progress || (inFlight.isEmpty() && stalled == null)) {
      lastProgressNanos = System.nanoTime(); // nothing waiting for the broker is progress too
    }
    if (ackedThrough >= 0) {
      lock.lock();
      try {
        spool.acked(ackedThrough);
      } finally {
        lock.unlock();
      }
    }
    return progress;
  }

  /** Sends records from the backlog while the in-flight window has room. */
  private boolean fill() {
    boolean progress = false;
    while (inFlight.size() < settings.maxInFlight()) {
      InFlight next = stalled;
      if (next == null) {
        lock.lock();
        try {
          SpoolRecord r = memory.pollFirst();
          if (r != null) {
            if (waiting > 0) {
              notFull.signalAll();
            }
            next = new InFlight(r, true);
          } else {
            r = spool.next();
            if (r != null) {
              next = new InFlight(r, false);
            }
          }
        } finally {
          lock.unlock();
        }
        if (next == null) {
          break;
        }
        next.waiter = sender;
      }
      try {
        producer.send(toProducerRecord(next.record), next);
        stalled = null;
        inFlight.addLast(next);
        progress = true;
      } catch (TimeoutException e) {
        stalled = next; // no metadata or no buffer yet: try the same record again shortly
        break;
      } catch (KafkaException e) {
        stalled = next;
        LOG.warn("producer failed ({}); creating a new one", e.getMessage());
        try {
          producer.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
          // it is being replaced
        }
        producer = producerFactory.get();
        break;
      }
    }
    return progress;
  }

  private static ProducerRecord<byte[], byte[]> toProducerRecord(SpoolRecord r) {
    return new ProducerRecord<>(r.topic(), r.key(), r.value());
  }

  private void maybeCheckpoint() {
    long now = System.nanoTime();
    if (now - lastCheckpointNanos > 200_000_000L) {
      lastCheckpointNanos = now;
      lock.lock();
      try {
        spool.checkpoint();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Stops accepting points, waits up to the shutdown timeout for the backlog to reach Kafka, then
   * spools what is left for the next start.
   */
  @Override
  public void close() {
    accepting = false;
    long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
    while (backlog() > 0 && System.nanoTime() < deadline) {
      LockSupport.unpark(sender);
      LockSupport.parkNanos(10_000_000L);
    }
    running = false;
    LockSupport.unpark(sender);
    try {
      sender.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean pending = !inFlight.isEmpty() || stalled != null;
    producer.close(pending ? Duration.ZERO : Duration.ofSeconds(5));
    List<SpoolRecord> rescue = new ArrayList<>();
    long ackedThrough = -1;
    boolean contiguous = true;
    for (InFlight f : inFlight) {
      if (f.state == OK) {
        metrics.sent(f.record.collector());
        if (contiguous) {
          ackedThrough = f.record.seq();
        }
      } else {
        contiguous = false;
        if (f.fromMemory) {
          rescue.add(f.record);
        }
      }
    }
    if (stalled != null && stalled.fromMemory) {
      rescue.add(stalled.record);
    }
    lock.lock();
    try {
      if (ackedThrough >= 0) {
        spool.acked(ackedThrough);
      }
      rescue.addAll(memory);
      memory.clear();
      rescue.forEach(r -> metrics.spooled(r.collector(), 1));
      spool.writeOlder(rescue);
      if (spool.hasUnread()) {
        LOG.warn("shutdown: {} points not acknowledged by Kafka stay in the spool for the next start",
            spool.unreadRecords());
      }
      spool.close();
    } finally {
      lock.unlock();
    }
    valueSerializer.close();
  }
}
