package io.autonomic.demo.scenario;

/** The kinds of fault the demo injects into the shop. */
public enum FaultKind {
  /** Offered load multiplied by the magnitude for the duration. */
  TRAFFIC_SPIKE,
  /** One replica leaks magnitude MB per simulated second until it restarts. */
  MEMORY_LEAK,
  /** A release that fails magnitude (a ratio) of requests, until it is rolled back. */
  BAD_DEPLOY,
  /** One replica dies and stays dead until it restarts (or is replaced by scaling). */
  DEAD_REPLICA,
  /** A service's storage adds magnitude ms to every request for the duration, or until failover. */
  SLOW_DEPENDENCY
}
