package io.autonomic.remediator.executor;

/**
 * The port of a fleet of local services, as the demo's simulated fleet implements it (and {@link ShellFleet} by
 * running a configured command per action). Each method returns what it did, in words, and throws when it failed.
 */
public interface Fleet {
  /** Sets the service's replica count; returns the count before, or -1 when unknown. */
  int scale(String service, int replicas) throws Exception;

  String restart(String instance) throws Exception;

  String failover(String service) throws Exception;
}
