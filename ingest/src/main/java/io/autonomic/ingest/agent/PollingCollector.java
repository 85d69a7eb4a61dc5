package io.autonomic.ingest.agent;

import java.time.Duration;

/** A collector the agent calls at a fixed interval (host metrics, Prometheus scrapes). */
public interface PollingCollector {
  /** The collector's name in the counters and logs. */
  String name();

  Duration interval();

  /** Collects once and publishes; must not throw for expected failures (they are points or counters). */
  void collect();
}
