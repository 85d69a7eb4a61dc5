package io.autonomic.demo.fleet;

import java.util.Objects;

/**
 * One tier of the simulated shop: how much one replica can serve and how it calls the next tier.
 *
 * @param name               service (and deployment) name, e.g. checkout
 * @param replicas           replicas at start
 * @param capacityPerReplica requests per second one replica serves at 100% CPU
 * @param serviceTimeMs      time one request takes on an idle replica, without downstream calls
 * @param baseMemoryMb       resident memory of a fresh replica
 * @param memoryLimitMb      memory limit of a replica; a leak approaches it and slows the replica with GC work
 * @param downstream         the service this one calls, or null for the last tier
 * @param callsPerRequest    downstream calls per request of this service (e.g. 0.4: 40% of page views check out)
 */
public record ServiceSpec(String name, int replicas, double capacityPerReplica, double serviceTimeMs,
    double baseMemoryMb, double memoryLimitMb, String downstream, double callsPerRequest) {
  public ServiceSpec {
    Objects.requireNonNull(name, "name");
    if (replicas < 1 || capacityPerReplica <= 0 || serviceTimeMs <= 0 || memoryLimitMb <= baseMemoryMb) {
      throw new IllegalArgumentException("invalid service spec " + name);
    }
  }
}
