package io.autonomic.demo.sim;

import io.autonomic.demo.fleet.FleetSample;

/** Where the simulator's telemetry goes: Kafka in the demo, a list in tests. */
public interface TelemetrySink extends AutoCloseable {
  void publish(FleetSample sample);

  /** Waits until everything published so far is sent. */
  default void flush() {}

  @Override
  default void close() {}
}
