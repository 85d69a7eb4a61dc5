package io.autonomic.demo.scenario;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.MetricPoint;
import io.autonomic.demo.fleet.MetricNames;
import io.autonomic.demo.fleet.ShopFleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Watches a demo run from the outside: it is told when faults were injected and sees the telemetry, anomalies,
 * incidents, commands and results that any observer of the topics could see. It knows nothing of how detection
 * works: a fault counts as detected by the first anomaly or incident on an entity of one of its affected services
 * while it is active, acted on by the first command whose target is one of those services or their replicas, and
 * recovered once, after an applied action and before the fault's slot ended, every health metric of those
 * services is back under its baseline band and all their replicas report again, for {@code hold} consecutive
 * samples. Anything else on the shop is a false alarm.
 *
 * <p>Evidence on entities outside the shop (the agent on this host publishes the machine's own cpu, memory, disk
 * and network) is not a false alarm of the demo: no fault is injected there, and a shared machine under load may
 * really be anomalous. It is counted apart ({@link #outsideAnomalies}, {@link #outsideIncidents}). A command on a
 * target outside the shop, though, breaks the demo's promise never to act on the machine it runs on: it fails
 * the run ({@link #outsideActions}).
 *
 * <p>Baselines are learned from samples taken while no fault is active: per service and metric, the band's upper
 * edge is the larger of 1.3 × the largest value seen, mean + 6 standard deviations, and a floor per metric.
 * Thread-safe: the simulator and the topic consumers call it from their own threads.
 */
public final class ScenarioTimeline {
  /** Metrics that say whether a service is healthy (request rate is load, not health). */
  public static final Set<String> HEALTH_METRICS = Set.of(MetricNames.CPU, MetricNames.MEMORY_UTILIZATION,
      MetricNames.LATENCY_P99, MetricNames.ERROR_RATIO, MetricNames.QUEUE_DEPTH);
  private static final Map<String, Double> FLOORS = Map.of(MetricNames.ERROR_RATIO, 0.02,
      MetricNames.QUEUE_DEPTH, 5.0, MetricNames.CPU, 0.15, MetricNames.MEMORY_UTILIZATION, 0.5);
  private static final int MIN_BASELINE_SAMPLES = 10;
  /** The services of the simulated shop: evidence and commands elsewhere are outside the demo's faults. */
  private static final Set<String> SHOP_SERVICES = ShopFleet.shopSpecs().stream()
      .map(io.autonomic.demo.fleet.ServiceSpec::name).collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final Map<String, FaultRecord> faults = new LinkedHashMap<>();
  private final Duration grace;
  private final int hold;
  private final Consumer<String> progress;
  private final Map<String, Stats> baseline = new HashMap<>();
  /** Replicas of each service that reported in the last tick. */
  private final Map<String, Integer> lastReporting = new HashMap<>();
  private final Map<String, String> commandTargets = new HashMap<>();
  private final Map<String, FaultRecord> commandFaults = new HashMap<>();
  private final Set<String> falseAlarmEntities = new TreeSet<>();
  private final Set<String> falseIncidents = new TreeSet<>();
  private final Set<String> attributedIncidents = new TreeSet<>();
  private final Set<String> outsideEntities = new TreeSet<>();
  private final Set<String> outsideIncidents = new TreeSet<>();
  private final List<String> outsideActions = new ArrayList<>();
  private Instant start;
  private int falseAnomalies;
  private int outsideAnomalies;

  /**
   * @param scenarios what will be injected
   * @param grace     how long after a fault ends (recovered or cleaned up) its late evidence still counts for it
   * @param hold      consecutive in-band samples that make a recovery
   * @param progress  receives one line per step (injected, detected, action, recovered, verdict)
   */
  public ScenarioTimeline(List<Scenario> scenarios, Duration grace, int hold, Consumer<String> progress) {
    scenarios.forEach(s -> faults.put(s.name(), new FaultRecord(s)));
    this.grace = grace;
    this.hold = hold;
    this.progress = progress;
  }

  /** Marks the start of the run (times in progress lines are relative to it). */
  public synchronized void started(Instant at) {
    start = at;
  }

  public synchronized void injected(String scenario, Instant at) {
    injected(scenario, at, at);
  }

  /**
   * The fault was injected at {@code at} (the observer's clock); {@code eventTime} is the event time of the first
   * telemetry it shaped. Evidence is attributed by event time: an anomaly counts for the latest fault injected
   * before its window ended, so late evidence of one fault is not taken for the detection of the next.
   */
  public synchronized void injected(String scenario, Instant at, Instant eventTime) {
    FaultRecord f = fault(scenario);
    f.injected = at;
    f.injectedEventTime = eventTime;
    f.scenario().affected().forEach(svc -> f.replicasBefore.put(svc, lastReporting.getOrDefault(svc, 0)));
    say(at, f, "injected: " + f.scenario().title());
  }

  /** The fault's slot ended (whatever was left of it was cleaned up). */
  public synchronized void ended(String scenario, Instant at) {
    FaultRecord f = fault(scenario);
    f.ended = at;
    say(at, f, verdictLine(f));
  }

  /**
   * Telemetry of one tick: learns baselines while quiet, checks recovery of active faults. A fault recovers only
   * after an action on its services was applied and before its slot ended (the end-of-slot cleanup is not a
   * recovery), once every health metric of its services is back in band and as many of their replicas report as
   * did before the injection, for {@code hold} consecutive ticks.
   */
  public synchronized void observeMetrics(Instant at, List<MetricPoint> points) {
    Map<String, Boolean> inBand = new HashMap<>(); // per service: every health metric in band this tick
    Map<String, Set<String>> reporting = new HashMap<>();
    boolean quiet = active(at).isEmpty();
    for (MetricPoint p : points) {
      String service = ShopFleet.serviceOf(p.getEntityId());
      if (service == null) {
        continue;
      }
      reporting.computeIfAbsent(service, k -> new TreeSet<>()).add(p.getEntityId());
      if (!HEALTH_METRICS.contains(p.getMetric())) {
        continue;
      }
      String key = service + "|" + p.getMetric();
      Stats s = baseline.computeIfAbsent(key, k -> new Stats());
      if (quiet) {
        s.add(p.getValue());
      }
      boolean ok = s.n < MIN_BASELINE_SAMPLES || p.getValue() <= s.upper(FLOORS.getOrDefault(p.getMetric(), 0.0));
      inBand.merge(service, ok, Boolean::logicalAnd);
    }
    for (FaultRecord f : active(at)) {
      if (f.recovered != null || f.injected == null || f.ended != null) {
        continue;
      }
      boolean healthy = f.scenario().affected().stream().allMatch(svc -> inBand.getOrDefault(svc, true)
          && reporting.getOrDefault(svc, Set.of()).size() >= f.replicasBefore.getOrDefault(svc, 0));
      if (!healthy) {
        f.disturbed = true;
        f.inBandStreak = 0;
      } else if (f.remediated()) {
        if (++f.inBandStreak >= hold) {
          f.recovered = at;
          say(at, f, "recovered: metrics back within the baseline after " + secs(f.mttr()));
        }
      }
    }
    reporting.forEach((svc, entities) -> lastReporting.put(svc, entities.size()));
  }

  public synchronized void observeAnomaly(Instant at, AnomalyEvent e) {
    String service = serviceOf(e.getEntityId(), e.getTags());
    if (service == null) {
      outsideAnomalies++;
      outsideEntities.add(e.getEntityId());
      return;
    }
    FaultRecord f = attribute(at, service, e.getWindowEnd());
    if (f == null) {
      falseAnomalies++;
      falseAlarmEntities.add(e.getEntityId());
      return;
    }
    detect(at, f, String.format(Locale.ROOT, "anomaly on %s %s (score %.2f >= %.2f)", e.getEntityId(),
        e.getMetric() == null ? "" : e.getMetric(), e.getScore(), e.getThreshold()));
  }

  public synchronized void observeIncident(Instant at, Incident i) {
    if (attributedIncidents.contains(i.getIncidentId()) || falseIncidents.contains(i.getIncidentId())) {
      return;
    }
    if (i.getState() == IncidentState.RESOLVED) {
      return;
    }
    FaultRecord f = null;
    List<String> services = new ArrayList<>();
    i.getEntities().forEach(en -> services.add(serviceOf(en, Map.of())));
    services.add(serviceOf(null, i.getLabels()));
    for (String s : services) {
      if (f == null && s != null) {
        f = attribute(at, s, i.getUpdatedAt());
      }
    }
    if (services.stream().allMatch(java.util.Objects::isNull)) {
      outsideIncidents.add(i.getIncidentId());
      return;
    }
    if (f == null) {
      falseIncidents.add(i.getIncidentId());
      return;
    }
    attributedIncidents.add(i.getIncidentId());
    detect(at, f, "incident " + i.getIncidentId() + ": " + i.getSummary());
  }

  public synchronized void observeCommand(Instant at, ActionCommand c) {
    String target = c.getTarget().getName();
    String service = ShopFleet.serviceOf(target) != null ? ShopFleet.serviceOf(target)
        : target.startsWith(ShopFleet.NAMESPACE + "/") ? target.substring(ShopFleet.NAMESPACE.length() + 1) : target;
    commandTargets.put(c.getCommandId(), c.getKind() + " " + target);
    if (!SHOP_SERVICES.contains(service)) {
      String what = c.getKind() + " " + c.getTarget().getKind() + "/" + target;
      if (!outsideActions.contains(what)) {
        outsideActions.add(what);
        say(at, "outside", "action outside the shop: " + what);
      }
      return;
    }
    FaultRecord f = attribute(at, service, null);
    if (f == null || commandFaults.containsKey(c.getCommandId())) {
      return;
    }
    commandFaults.put(c.getCommandId(), f);
    f.actions.add(new FaultRecord.Action(at, c.getCommandId(), c.getKind().toString(), target,
        c.getDryRun() ? "DRY_RUN" : "ISSUED"));
    say(at, f, "action: " + c.getKind() + " " + target + (c.getDryRun() ? " (dry run)" : ""));
  }

  public synchronized void observeResult(Instant at, ActionResult r) {
    FaultRecord f = commandFaults.get(r.getCommandId());
    if (f == null) {
      return;
    }
    for (int i = 0; i < f.actions.size(); i++) {
      FaultRecord.Action a = f.actions.get(i);
      if (a.commandId().equals(r.getCommandId())) {
        f.actions.set(i, new FaultRecord.Action(a.at(), a.commandId(), a.kind(), a.target(),
            r.getStatus().toString()));
        say(at, f, "result: " + a.kind() + " " + a.target() + " " + r.getStatus() + " (" + r.getMessage() + ")");
      }
    }
  }

  public synchronized List<FaultRecord> faults() {
    return List.copyOf(faults.values());
  }

  /** Anomaly events not attributable to an active fault. */
  public synchronized int falseAnomalies() {
    return falseAnomalies;
  }

  /** Incidents opened outside every fault. */
  public synchronized int falseIncidents() {
    return falseIncidents.size();
  }

  /** Entities that had a false anomaly. */
  public synchronized Set<String> falseAlarmEntities() {
    return Set.copyOf(falseAlarmEntities);
  }

  /** Anomalies on entities outside the shop (this host's agent): neither a fault's evidence nor a false alarm. */
  public synchronized int outsideAnomalies() {
    return outsideAnomalies;
  }

  /** Entities outside the shop that had an anomaly. */
  public synchronized Set<String> outsideEntities() {
    return Set.copyOf(outsideEntities);
  }

  /** Incidents none of whose entities or labels belong to the shop. */
  public synchronized int outsideIncidents() {
    return outsideIncidents.size();
  }

  /** Commands on targets outside the shop ("KIND kind/name"); any fails the run. */
  public synchronized List<String> outsideActions() {
    return List.copyOf(outsideActions);
  }

  /**
   * The pass rule of the demo: every fault detected, remediated by an applied action, and recovered; and nothing
   * acted on outside the shop.
   */
  public synchronized boolean passed() {
    return !faults.isEmpty() && faults.values().stream().allMatch(FaultRecord::passed) && outsideActions.isEmpty();
  }

  // ---- attribution ---------------------------------------------------------------------------------------------

  /** Faults whose window holds {@code at}: from injection until grace after recovery (or after the slot ended). */
  private List<FaultRecord> active(Instant at) {
    List<FaultRecord> out = new ArrayList<>();
    for (FaultRecord f : faults.values()) {
      if (f.injected == null || at.isBefore(f.injected)) {
        continue;
      }
      Instant closed = f.recovered != null ? f.recovered : f.ended;
      if (closed == null || !at.isAfter(closed.plus(grace))) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * The fault a piece of evidence on {@code service} seen at {@code at} belongs to: of the active faults that
   * disturb the service, the one injected last, and (when the evidence has an event time) injected before it.
   */
  private FaultRecord attribute(Instant at, String service, Instant eventTime) {
    if (service == null) {
      return null;
    }
    FaultRecord best = null;
    for (FaultRecord f : active(at)) {
      if (!f.scenario().affected().contains(service)) {
        continue;
      }
      if (eventTime != null && f.injectedEventTime != null && !eventTime.isAfter(f.injectedEventTime)) {
        continue;
      }
      if (best == null || f.injected.isAfter(best.injected)) {
        best = f;
      }
    }
    return best;
  }

  private void detect(Instant at, FaultRecord f, String evidence) {
    if (f.detected == null) {
      f.detected = at;
      f.detectedBy = evidence;
      say(at, f, "detected after " + secs(f.mttd()) + ": " + evidence);
    }
  }

  /**
   * The shop service of an entity (its id {@code shop/<service>-<n>}, or tags {@code namespace=shop} and a service),
   * null for anything outside the shop: a host named {@code web-1} is not a replica of a service "web".
   */
  private static String serviceOf(String entityId, Map<String, String> tags) {
    String s = entityId != null && entityId.startsWith(ShopFleet.NAMESPACE + "/") ? ShopFleet.serviceOf(entityId)
        : null;
    if (s == null && tags != null && ShopFleet.NAMESPACE.equals(tags.get("namespace"))) {
      s = tags.get("service");
    }
    return s != null && SHOP_SERVICES.contains(s) ? s : null;
  }

  private FaultRecord fault(String scenario) {
    FaultRecord f = faults.get(scenario);
    if (f == null) {
      throw new IllegalArgumentException("unknown scenario " + scenario);
    }
    return f;
  }

  private String verdictLine(FaultRecord f) {
    FaultRecord.Action a = f.firstAction();
    return (f.passed() ? "PASS" : "FAIL") + ": injected"
        + " → detected " + (f.mttd() == null ? "never" : "+" + secs(f.mttd()))
        + " → action " + (a == null ? "none" : a.kind() + " " + a.target() + " " + a.status() + " +"
            + secs(Duration.between(f.injected, a.at())))
        + " → recovered " + (f.mttr() == null ? "never" : "+" + secs(f.mttr()));
  }

  private void say(Instant at, FaultRecord f, String what) {
    say(at, f.scenario().name(), what);
  }

  private void say(Instant at, String name, String what) {
    String t = start == null ? "" : String.format(Locale.ROOT, "[%6.1fs] ", Duration.between(start, at).toMillis()
        / 1000.0);
    progress.accept(t + String.format(Locale.ROOT, "%-16s %s", name, what));
  }

  static String secs(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  /** Running mean, variance (Welford) and maximum. */
  private static final class Stats {
    long n;
    double mean;
    double m2;
    double max = Double.NEGATIVE_INFINITY;

    void add(double v) {
      n++;
      double d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
      max = Math.max(max, v);
    }

    double upper(double floor) {
      double sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
      return Math.max(Math.max(1.3 * max, mean + 6 * sd), floor);
    }
  }
}
