package io.autonomic.demo.fleet;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.autonomic.avro.MetricPoint;
import io.autonomic.remediator.executor.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The simulated "shop": tiers (frontend → checkout → database) of replicas whose metrics and logs follow from the
 * offered load, the replica count and the faults injected into them. It is also the remediator's {@link Fleet}
 * port, so the local-process executor's SCALE, RESTART and FAILOVER change what the replicas report next tick.
 *
 * <p>Each tick, load flows down the tiers and latency and errors flow back up. A replica is a single-server queue:
 * its utilisation is its share of the load over its capacity; latency grows as {@code S / (1 - ρ)} and, once
 * arrivals exceed capacity, with the backlog; a full queue sheds requests as errors. A leaking replica's memory
 * grows until a restart, and near its limit GC work eats its capacity. A dead replica reports nothing and its
 * share goes to the others. A bad release adds errors until it is rolled back ({@link #failover}); a slow
 * dependency adds latency that the callers see too. Deterministic for a given seed and call sequence; all
 * methods are synchronized because the executor calls the port from its own thread.
 */
public final class ShopFleet implements Fleet {
  public static final String NAMESPACE = "shop";
  public static final String ENTITY_KIND = "pod";
  public static final String SOURCE = "demo:fleet";
  public static final String FRONTEND = "frontend";
  public static final String CHECKOUT = "checkout";
  public static final String DATABASE = "database";
  /** Share of requests that fail on a healthy replica. */
  static final double BASE_ERROR_RATIO = 0.002;
  /** Queueing latency is capped at this utilisation; beyond it the backlog term takes over. */
  private static final double MAX_STEADY_UTILISATION = 0.95;
  private static final int MAX_REPLICAS = 50;
  private static final double MB = 1024 * 1024;

  /** The three tiers of the demo shop at about 35-40% utilisation under {@link #SHOP_BASE_LOAD} requests/s. */
  public static List<ServiceSpec> shopSpecs() {
    return List.of(
        new ServiceSpec(FRONTEND, 3, 120, 20, 256, 1024, CHECKOUT, 0.3),
        new ServiceSpec(CHECKOUT, 3, 30, 40, 384, 1024, DATABASE, 2.0),
        new ServiceSpec(DATABASE, 2, 120, 8, 1024, 4096, null, 0));
  }

  /** Mean offered load (frontend requests/s) the shop is sized for. */
  public static final double SHOP_BASE_LOAD = 120;

  private final Map<String, Service> services = new LinkedHashMap<>();
  private final Random random;

  public ShopFleet(List<ServiceSpec> specs, long seed) {
    this.random = new Random(seed);
    for (ServiceSpec spec : specs) {
      Service s = new Service(spec);
      for (int i = 0; i < spec.replicas(); i++) {
        s.add();
      }
      services.put(spec.name(), s);
    }
  }

  public static ShopFleet shop(long seed) {
    return new ShopFleet(shopSpecs(), seed);
  }

  // ---- observation ---------------------------------------------------------------------------------------

  public synchronized List<String> services() {
    return List.copyOf(services.keySet());
  }

  /** Replica names of a service (e.g. checkout-1), dead ones included. */
  public synchronized List<String> replicas(String service) {
    return service(service).replicas.stream().map(r -> r.name).toList();
  }

  public synchronized int liveReplicas(String service) {
    return (int) service(service).replicas.stream().filter(r -> r.alive).count();
  }

  public synchronized String release(String service) {
    return service(service).release;
  }

  /** Entity id of a replica as it appears on telemetry.metrics, e.g. shop/checkout-2. */
  public static String entityId(String replica) {
    return NAMESPACE + "/" + replica;
  }

  /** Service of an entity id or replica name (shop/checkout-2 → checkout), or null when it is not one of ours. */
  public static String serviceOf(String entityOrReplica) {
    String n = stripNamespace(entityOrReplica);
    int dash = n.lastIndexOf('-');
    return dash > 0 && n.substring(dash + 1).chars().allMatch(Character::isDigit) ? n.substring(0, dash) : null;
  }

  // ---- faults (what scenarios inject) -----------------------------------------------------------------------

  /** Makes a replica leak memory until it restarts. */
  public synchronized void injectLeak(String replica, double mbPerSecond) {
    replica(replica).leakMbPerSecond = mbPerSecond;
  }

  /** Deploys a release that fails {@code errorRatio} of requests, until {@link #rollback}. */
  public synchronized void deployBadRelease(String service, String release, double errorRatio) {
    Service s = service(service);
    s.previousRelease = s.release;
    s.release = release;
    s.releaseErrorRatio = errorRatio;
  }

  /** Kills a replica: it stops serving and reporting until it is restarted. */
  public synchronized void kill(String replica) {
    Replica r = replica(replica);
    r.alive = false;
    r.backlog = 0;
  }

  /** Adds latency to every request a service serves (a slow disk or network under it), until cleared. */
  public synchronized void slowDown(String service, double extraMs) {
    service(service).extraLatencyMs = extraMs;
  }

  public synchronized void clearSlowDown(String service) {
    service(service).extraLatencyMs = 0;
  }

  /** Ends every fault on a service and its replicas, without counting as a remediation (scenario cleanup). */
  public synchronized void clearFaults(String service) {
    Service s = service(service);
    s.extraLatencyMs = 0;
    if (s.releaseErrorRatio > 0) {
      s.rollback();
    }
    for (Replica r : s.replicas) {
      if (!r.alive || r.leakMbPerSecond > 0) {
        r.restart(s.spec);
      }
    }
  }

  /**
   * Scales every service that was scaled in below its initial replica count back up to it. Scale-outs stay: a
   * replica removed by scale-in stops reporting, which the detector's absent-series check rightly reports as a
   * silent replica, so the demo does not scale in between scenarios (as an autoscaler with a long scale-in
   * delay would not).
   */
  public synchronized void restoreMinimumReplicas() {
    for (Service s : services.values()) {
      if (s.replicas.size() < s.spec.replicas()) {
        scale(s.spec.name(), s.spec.replicas());
      }
    }
  }

  // ---- control (the remediator's Fleet port) ----------------------------------------------------------------

  @Override
  public synchronized int scale(String service, int replicas) {
    Service s = service(stripNamespace(service));
    int before = s.replicas.size();
    int target = Math.max(1, Math.min(MAX_REPLICAS, replicas));
    while (s.replicas.size() < target) {
      s.add();
    }
    while (s.replicas.size() > target) {
      Replica victim = s.replicas.stream().filter(r -> !r.alive).findFirst()
          .orElse(s.replicas.get(s.replicas.size() - 1));
      s.replicas.remove(victim);
    }
    return before;
  }

  /** Restarts one replica (checkout-2 or shop/checkout-2), or every replica of a service (checkout). */
  @Override
  public synchronized String restart(String instance) {
    String name = stripNamespace(instance);
    Service s = services.get(name);
    if (s != null) {
      s.replicas.forEach(r -> r.restart(s.spec));
      return "restarted " + s.replicas.size() + " replicas of " + name;
    }
    Replica r = replica(name);
    r.restart(service(serviceOf(name)).spec);
    return "restarted " + name;
  }

  /**
   * Moves the service's traffic to its standby: the previous release if the current one is bad (a rollback),
   * and storage without the injected slowness. A replica name fails over its service.
   */
  @Override
  public synchronized String failover(String service) {
    String name = stripNamespace(service);
    Service s = services.containsKey(name) ? services.get(name) : service(serviceOf(name));
    List<String> done = new ArrayList<>();
    if (s.releaseErrorRatio > 0) {
      done.add("rolled back " + s.release + " to " + s.previousRelease);
      s.rollback();
    }
    if (s.extraLatencyMs > 0) {
      done.add("switched to standby storage");
      s.extraLatencyMs = 0;
    }
    return "failed over " + s.spec.name() + (done.isEmpty() ? ": nothing to fail over" : ": " + String.join(", ",
        done));
  }

  /** Rolls a service back to its previous release. */
  public synchronized String rollback(String service) {
    Service s = service(stripNamespace(service));
    String from = s.release;
    s.rollback();
    return "rolled back " + s.spec.name() + " from " + from + " to " + s.release;
  }

  // ---- the tick ---------------------------------------------------------------------------------------------

  /**
   * Advances the fleet by {@code step} under {@code load} frontend requests/s and returns what the live replicas
   * report at {@code at}.
   */
  public synchronized FleetSample tick(Instant at, Duration step, double load) {
    double dt = step.toMillis() / 1000.0;
    Map<String, Tier> tiers = new LinkedHashMap<>();
    double offered = Math.max(0, load);
    for (Service s : services.values()) { // load flows down
      Tier t = s.serve(offered, dt);
      tiers.put(s.spec.name(), t);
      offered = t.served * s.spec.callsPerRequest();
    }
    List<Service> bottomUp = new ArrayList<>(services.values());
    java.util.Collections.reverse(bottomUp);
    for (Service s : bottomUp) { // latency and errors flow up
      Tier down = s.spec.downstream() == null ? null : tiers.get(s.spec.downstream());
      tiers.get(s.spec.name()).finish(s, down);
    }
    List<MetricPoint> points = new ArrayList<>();
    List<LogRecord> logs = new ArrayList<>();
    long ts = at.toEpochMilli();
    for (Service s : services.values()) {
      Tier t = tiers.get(s.spec.name());
      for (ReplicaState rs : t.replicas) {
        emitMetrics(points, s, rs, ts);
        emitLogs(logs, s, rs, ts);
      }
      for (Replica dead : s.replicas) {
        if (!dead.alive) {
          upstreamRefused(logs, s, dead, tiers, ts);
        }
      }
    }
    return new FleetSample(points, logs);
  }

  private void emitMetrics(List<MetricPoint> out, Service s, ReplicaState rs, long ts) {
    Replica r = rs.replica;
    Map<String, Double> values = new LinkedHashMap<>();
    values.put(MetricNames.CPU, clamp(rs.cpu * noise(0.03), 0, 1));
    double memMb = r.memoryMb * noise(0.005);
    values.put(MetricNames.MEMORY_USAGE, Math.floor(memMb * MB));
    values.put(MetricNames.MEMORY_UTILIZATION, clamp(memMb / s.spec.memoryLimitMb(), 0, 1));
    values.put(MetricNames.LATENCY_P50, rs.p50Ms * noise(0.04) / 1000);
    values.put(MetricNames.LATENCY_P99, rs.p99Ms * noise(0.06) / 1000);
    values.put(MetricNames.REQUEST_RATE, rs.arrivalRate * noise(0.02));
    values.put(MetricNames.ERROR_RATIO, clamp(rs.errorRatio * noise(0.2), 0, 1));
    values.put(MetricNames.QUEUE_DEPTH, rs.queueDepth * noise(0.05)); // mean requests waiting over the tick
    Map<String, String> tags = tags(s, r);
    values.forEach((metric, v) -> out.add(MetricPoint.newBuilder().setEntityId(entityId(r.name)).setMetric(metric)
        .setValue(v).setUnit(MetricNames.unit(metric)).setEventTime(Instant.ofEpochMilli(ts))
        .setEntityKind(ENTITY_KIND).setTags(tags).setSource(SOURCE).build()));
  }

  private Map<String, String> tags(Service s, Replica r) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("service", s.spec.name());
    tags.put("namespace", NAMESPACE);
    tags.put("deployment", s.spec.name());
    tags.put("pod", r.name);
    tags.put("version", s.release);
    return tags;
  }

  private void emitLogs(List<LogRecord> out, Service s, ReplicaState rs, long ts) {
    Replica r = rs.replica;
    String svc = s.spec.name();
    int ms = (int) Math.round(rs.p50Ms);
    out.add(log(s, r, ts, LogSeverity.INFO, switch (svc) {
      case FRONTEND -> "GET /product/" + (1000 + random.nextInt(9000)) + " 200 " + ms + " ms";
      case CHECKOUT -> "POST /checkout 200 " + ms + " ms order=" + Long.toHexString(random.nextLong() >>> 36);
      default -> "query ok: SELECT * FROM orders WHERE id = ? (" + ms + " ms)";
    }));
    if (rs.dropped > 0) {
      out.add(log(s, r, ts, LogSeverity.ERROR, "503 Service Unavailable: request queue full ("
          + Math.round(rs.queueDepth) + " waiting), shedding " + Math.round(rs.dropped) + " requests"));
    }
    if (s.releaseErrorRatio > 0 && random.nextDouble() < Math.min(1, s.releaseErrorRatio * 4)) {
      out.add(log(s, r, ts, LogSeverity.ERROR, "POST /" + svc + " 500 Internal Server Error: "
          + "java.lang.NullPointerException at PaymentClient.charge(PaymentClient.java:88) release=" + s.release));
    }
    double memUtil = r.memoryMb / s.spec.memoryLimitMb();
    if (memUtil > 0.95) {
      out.add(log(s, r, ts, LogSeverity.ERROR, "java.lang.OutOfMemoryError: Java heap space"));
    } else if (memUtil > 0.8) {
      out.add(log(s, r, ts, LogSeverity.WARN, String.format(Locale.ROOT,
          "GC overhead high: heap %d%% used after full GC, pause %d ms", Math.round(memUtil * 100),
          Math.round(200 + 2000 * (memUtil - 0.8)))));
    }
    if (s.extraLatencyMs > 0) {
      out.add(log(s, r, ts, LogSeverity.WARN, "slow query: SELECT * FROM orders WHERE id = ? took "
          + Math.round(rs.p99Ms) + " ms (disk await " + Math.round(s.extraLatencyMs) + " ms)"));
    } else if (rs.p99Ms > 1000) {
      out.add(log(s, r, ts, LogSeverity.WARN, "slow request: took " + Math.round(rs.p99Ms) + " ms (p99)"));
    }
  }

  /** A dead replica says nothing; its callers log that they cannot reach it. */
  private void upstreamRefused(List<LogRecord> out, Service s, Replica dead, Map<String, Tier> tiers, long ts) {
    for (Service up : services.values()) {
      if (s.spec.name().equals(up.spec.downstream()) && !tiers.get(up.spec.name()).replicas.isEmpty()) {
        Replica caller = tiers.get(up.spec.name()).replicas.get(0).replica;
        out.add(log(up, caller, ts, LogSeverity.ERROR, "upstream connect error: connection refused to "
            + dead.name + ":8080, removed from load balancing"));
      }
    }
  }

  private LogRecord log(Service s, Replica r, long ts, LogSeverity severity, String message) {
    Map<String, String> attrs = tags(s, r);
    attrs.put("logger", "shop." + s.spec.name());
    return LogRecord.newBuilder().setEntityId(entityId(r.name)).setEventTime(Instant.ofEpochMilli(ts))
        .setSeverity(severity).setMessage(message).setAttributes(attrs).setEntityKind(ENTITY_KIND)
        .setSource(SOURCE).build();
  }

  private double noise(double relative) {
    return Math.max(0, 1 + relative * random.nextGaussian());
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static String stripNamespace(String name) {
    return name.startsWith(NAMESPACE + "/") ? name.substring(NAMESPACE.length() + 1) : name;
  }

  private Service service(String name) {
    Service s = name == null ? null : services.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no service '" + name + "' in the shop; services: " + services.keySet());
    }
    return s;
  }

  private Replica replica(String name) {
    String n = stripNamespace(name);
    return service(serviceOf(n)).replicas.stream().filter(r -> r.name.equals(n)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no replica '" + n + "'; replicas: "
            + replicas(serviceOf(n))));
  }

  // ---- state ------------------------------------------------------------------------------------------------

  private static final class Replica {
    final String name;
    boolean alive = true;
    double memoryMb;
    double leakMbPerSecond;
    double backlog;

    Replica(String name, double memoryMb) {
      this.name = name;
      this.memoryMb = memoryMb;
    }

    void restart(ServiceSpec spec) {
      alive = true;
      memoryMb = spec.baseMemoryMb();
      leakMbPerSecond = 0;
      backlog = 0;
    }
  }

  private static final class Service {
    final ServiceSpec spec;
    final List<Replica> replicas = new ArrayList<>();
    int nextIndex = 1;
    String release = "v1";
    String previousRelease = "v1";
    double releaseErrorRatio;
    double extraLatencyMs;

    Service(ServiceSpec spec) {
      this.spec = spec;
    }

    void add() {
      replicas.add(new Replica(spec.name() + "-" + nextIndex++, spec.baseMemoryMb()));
    }

    void rollback() {
      release = previousRelease;
      releaseErrorRatio = 0;
    }

    Tier serve(double load, double dt) {
      Tier t = new Tier();
      List<Replica> live = replicas.stream().filter(r -> r.alive).toList();
      if (live.isEmpty()) {
        t.unavailable = true;
        return t;
      }
      double share = load / live.size();
      for (Replica r : live) {
        ReplicaState rs = new ReplicaState(r);
        r.memoryMb = Math.min(spec.memoryLimitMb() * 0.98, r.memoryMb + r.leakMbPerSecond * dt);
        double memUtil = r.memoryMb / spec.memoryLimitMb();
        double gc = clamp((memUtil - 0.75) / 0.25, 0, 1);
        double capacity = spec.capacityPerReplica() * (1 - 0.6 * gc);
        double arrivals = share * dt;
        double backlog = Math.max(0, r.backlog + arrivals - capacity * dt);
        double maxQueue = spec.capacityPerReplica() * 2; // two seconds of work, then requests are shed
        double dropped = Math.max(0, backlog - maxQueue);
        r.backlog = Math.min(backlog, maxQueue);
        double rho = share / capacity;
        rs.arrivalRate = share;
        rs.dropped = dropped;
        rs.utilisation = rho;
        rs.capacity = capacity;
        rs.cpu = 0.04 + 0.9 * Math.min(1, rho) + 0.3 * gc;
        rs.ownErrorRatio = BASE_ERROR_RATIO + (arrivals > 0 ? dropped / arrivals : 0) + releaseErrorRatio;
        rs.queueDepth = r.backlog + Math.min(rho, MAX_STEADY_UTILISATION) / (1 - Math.min(rho,
            MAX_STEADY_UTILISATION));
        t.served += Math.max(0, arrivals - dropped) / dt;
        t.replicas.add(rs);
      }
      return t;
    }
  }

  /** One tier's outcome of a tick. */
  private static final class Tier {
    final List<ReplicaState> replicas = new ArrayList<>();
    double served;
    boolean unavailable;
    double meanMs;
    double p99Ms;
    double errorRatio;

    void finish(Service s, Tier down) {
      double calls = s.spec.callsPerRequest();
      double downMean = 0;
      double downP99 = 0;
      double downErrors = 0;
      if (down != null) {
        downMean = down.unavailable ? 1 : down.meanMs;
        downP99 = down.unavailable ? 1 : down.p99Ms;
        downErrors = down.unavailable ? 1 : down.errorRatio;
      }
      double sumMean = 0;
      double sumP99 = 0;
      double sumErr = 0;
      for (ReplicaState rs : replicas) {
        double rho = Math.min(rs.utilisation, MAX_STEADY_UTILISATION);
        double own = s.spec.serviceTimeMs() / (1 - rho) + rs.replica.backlog / rs.capacity * 1000
            + s.extraLatencyMs;
        rs.p50Ms = own * Math.log(2) + calls * downMean * 0.7;
        rs.p99Ms = own * Math.log(100) + Math.min(1, calls) * downP99 + Math.max(0, calls - 1) * downMean;
        rs.errorRatio = Math.min(1, rs.ownErrorRatio + Math.min(1, calls) * downErrors);
        sumMean += own + calls * downMean;
        sumP99 += rs.p99Ms;
        sumErr += rs.errorRatio;
      }
      if (unavailable) {
        errorRatio = 1;
      } else {
        meanMs = sumMean / replicas.size();
        p99Ms = sumP99 / replicas.size();
        errorRatio = sumErr / replicas.size();
      }
    }
  }

  private static final class ReplicaState {
    final Replica replica;
    double arrivalRate;
    double dropped;
    double utilisation;
    double capacity;
    double cpu;
    double ownErrorRatio;
    double errorRatio;
    double queueDepth;
    double p50Ms;
    double p99Ms;

    ReplicaState(Replica replica) {
      this.replica = replica;
    }
  }
}
