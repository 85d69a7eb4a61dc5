package io.autonomic.flinkjobs.detector.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects requests from any thread and runs them in batches on one thread of its own: a batch is flushed when it
 * holds {@code batchSize} requests or when its oldest request has waited {@code maxDelay}, then split by group
 * (the model) so each runner call sees one model. {@link #submit} never blocks: the bound on what is in flight is
 * the caller's (Flink's async operator capacity).
 *
 * <p>A runner that throws fails only its group's requests ({@code onFailure}); the thread goes on.
 *
 * @param <K> group key (one model artifact)
 * @param <R> request
 */
public final class MicroBatcher<K, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

  /** Runs one batch of one group; must complete every request it is given. */
  @FunctionalInterface
  public interface Runner<K, R> {
    void run(K group, List<R> batch) throws Exception;
  }

  /** Completes requests whose batch failed. */
  @FunctionalInterface
  public interface Failure<R> {
    void failed(List<R> batch, Throwable error);
  }

  private final int batchSize;
  private final long maxDelayNanos;
  private final Function<R, K> groupOf;
  private final Runner<K, R> runner;
  private final Failure<R> onFailure;
  private final BlockingQueue<R> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long batches;
  private long requests;

  public MicroBatcher(String name, int batchSize, Duration maxDelay, Function<R, K> groupOf, Runner<K, R> runner,
      Failure<R> onFailure) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    this.batchSize = batchSize;
    this.maxDelayNanos = maxDelay.toNanos();
    this.groupOf = groupOf;
    this.runner = runner;
    this.onFailure = onFailure;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues one request; it completes on the batcher's thread within about {@code maxDelay} plus a run. */
  public void submit(R request) {
    if (!running) {
      onFailure.failed(List.of(request), new IllegalStateException("batcher closed"));
      return;
    }
    queue.add(request);
  }

  /** Batches run so far (for tests and metrics). */
  public synchronized long batches() {
    return batches;
  }

  /** Requests run so far. */
  public synchronized long requests() {
    return requests;
  }

  private void loop() {
    List<R> batch = new ArrayList<>(batchSize);
    while (running) {
      try {
        R first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxDelayNanos;
        queue.drainTo(batch, batchSize - batch.size());
        while (batch.size() < batchSize) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          R next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
          queue.drainTo(batch, batchSize - batch.size());
        }
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    List<R> left = new ArrayList<>();
    queue.drainTo(left);
    if (!left.isEmpty()) {
      onFailure.failed(left, new IllegalStateException("batcher closed"));
    }
  }

  private void run(List<R> batch) {
    Map<K, List<R>> groups = new LinkedHashMap<>();
    for (R r : batch) {
      groups.computeIfAbsent(groupOf.apply(r), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<K, List<R>> g : groups.entrySet()) {
      try {
        runner.run(g.getKey(), g.getValue());
      } catch (Exception | Error e) { // anything: a dead inference thread would time out every window after it
        LOG.warn("inference batch failed: group={} requests={} error={}", g.getKey(), g.getValue().size(),
            e.toString());
        onFailure.failed(g.getValue(), e);
      }
    }
    synchronized (this) {
      batches += groups.size();
      requests += batch.size();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(10_000);
  }
}
