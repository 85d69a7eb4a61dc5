package io.autonomic.demo.sim;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces a {@link Simulation} in real time, one tick per plan period. Each tick it first tells a listener (the
 * scenario timeline, the report) what happened, with the wall-clock instant from the injected clock, then
 * publishes the tick's telemetry to a {@link TelemetrySink}. Runs on one daemon thread; {@link #close} stops it.
 */
public final class FleetSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetSimulator.class);

  /** Told about every tick just before it is published. */
  @FunctionalInterface
  public interface Listener {
    void onTick(Instant wallTime, Simulation.Tick tick);
  }

  private final Simulation simulation;
  private final TelemetrySink sink;
  private final long periodMillis;
  private final Clock clock;
  private final Listener listener;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-fleet-simulator");
    t.setDaemon(true);
    return t;
  });
  private volatile Throwable failure;
  private volatile boolean stopped;

  public FleetSimulator(Simulation simulation, TelemetrySink sink, DemoPlan plan, Clock clock,
      Listener listener) {
    this.simulation = simulation;
    this.sink = sink;
    this.periodMillis = plan.period().toMillis();
    this.clock = clock;
    this.listener = listener;
  }

  /** Starts ticking; returns at once. Telemetry is stamped with each tick's scheduled real instant. */
  public FleetSimulator start() {
    simulation.stampFrom(clock.instant(), java.time.Duration.ofMillis(periodMillis));
    executor.scheduleAtFixedRate(this::tick, 0, periodMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  private void tick() {
    if (finished.getCount() == 0) {
      return;
    }
    try {
      Simulation.Tick t = simulation.step();
      // the listener first: an injection is on record before any telemetry showing it can be seen
      listener.onTick(clock.instant(), t);
      sink.publish(t.sample());
      if (simulation.finished()) {
        sink.flush();
        finished.countDown();
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("demo fleet simulator stopped: {}", e.toString());
      finished.countDown();
      throw e;
    }
  }

  /**
   * Waits until every scenario slot has passed, the simulator failed or was closed; false on timeout or when it
   * was closed before the end.
   */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    boolean done = finished.await(timeout, unit) && !stopped;
    if (failure != null) {
      throw new IllegalStateException("demo fleet simulator failed: " + failure, failure);
    }
    return done;
  }

  /** Stops ticking (also on Ctrl-C): {@link #awaitFinished} returns, and the sink is closed. */
  @Override
  public void close() {
    stopped = true;
    finished.countDown();
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sink.close();
  }
}
