package io.autonomic.demo.report;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.MetricPoint;
import io.autonomic.demo.fleet.MetricNames;
import io.autonomic.demo.scenario.FaultRecord;
import io.autonomic.demo.scenario.ScenarioTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects what the report charts while the demo runs: the fleet's metrics (every {@code every}-th sample per
 * series, to keep the page small), anomaly scores, incidents and actions, each at the observer's clock.
 * Thread-safe.
 */
public final class RunRecorder {
  /** The metrics charted, in page order. */
  public static final List<String> CHARTED = List.of(MetricNames.LATENCY_P99, MetricNames.ERROR_RATIO,
      MetricNames.CPU, MetricNames.MEMORY_UTILIZATION, MetricNames.QUEUE_DEPTH, MetricNames.REQUEST_RATE);
  private static final Set<String> CHARTED_SET = Set.copyOf(CHARTED);

  private final String run;
  private final long seed;
  private final int every;
  private final Map<String, Map<String, List<double[]>>> metrics = new LinkedHashMap<>();
  private final Map<String, Integer> seen = new LinkedHashMap<>();
  private final Map<String, List<double[]>> scores = new LinkedHashMap<>();
  private final Map<String, ReportData.IncidentBar> incidents = new LinkedHashMap<>();
  private final List<ReportData.ActionMark> actions = new ArrayList<>();
  private final Map<String, Integer> actionIndex = new LinkedHashMap<>();
  private double threshold = Double.NaN;
  private Instant start;

  /**
   * @param every keep one metric sample in this many per series (1 keeps all)
   */
  public RunRecorder(String run, long seed, int every) {
    this.run = run;
    this.seed = seed;
    this.every = Math.max(1, every);
  }

  public synchronized void started(Instant at) {
    start = at;
  }

  public synchronized void metrics(Instant at, List<MetricPoint> points) {
    for (MetricPoint p : points) {
      if (!CHARTED_SET.contains(p.getMetric())) {
        continue;
      }
      String key = p.getMetric() + "|" + p.getEntityId();
      int n = seen.merge(key, 1, Integer::sum);
      if ((n - 1) % every == 0) {
        metrics.computeIfAbsent(p.getMetric(), k -> new LinkedHashMap<>())
            .computeIfAbsent(p.getEntityId(), k -> new ArrayList<>())
            .add(new double[] {at.toEpochMilli(), p.getValue()});
      }
    }
  }

  public synchronized void anomaly(Instant at, AnomalyEvent e) {
    threshold = e.getThreshold();
    scores.computeIfAbsent(e.getEntityId(), k -> new ArrayList<>()).add(new double[] {at.toEpochMilli(),
        e.getScore()});
  }

  /** Keeps the first opening time and the resolution of each incident. */
  public synchronized void incident(Instant at, Incident i) {
    ReportData.IncidentBar old = incidents.get(i.getIncidentId());
    long opened = old == null ? at.toEpochMilli() : old.opened();
    Long resolved = i.getState() == IncidentState.RESOLVED ? at.toEpochMilli() : null;
    incidents.put(i.getIncidentId(), new ReportData.IncidentBar(i.getIncidentId(), opened, resolved,
        i.getSeverity().toString(), i.getSummary()));
  }

  public synchronized void command(Instant at, ActionCommand c) {
    if (actionIndex.containsKey(c.getCommandId())) {
      return;
    }
    actionIndex.put(c.getCommandId(), actions.size());
    actions.add(new ReportData.ActionMark(at.toEpochMilli(), c.getKind().toString(), c.getTarget().getName(),
        c.getDryRun() ? "DRY_RUN" : "ISSUED"));
  }

  public synchronized void result(ActionResult r) {
    Integer i = actionIndex.get(r.getCommandId());
    if (i != null) {
      ReportData.ActionMark a = actions.get(i);
      actions.set(i, new ReportData.ActionMark(a.t(), a.kind(), a.target(), r.getStatus().toString()));
    }
  }

  /**
   * The report's data at {@code end}, with the faults and verdicts from the timeline.
   *
   * @param defaultThreshold the detector's threshold, shown when no anomaly carried one
   */
  public synchronized ReportData snapshot(Instant end, ScenarioTimeline timeline, double defaultThreshold) {
    List<ReportData.MetricChart> charts = new ArrayList<>();
    for (String metric : CHARTED) {
      Map<String, List<double[]>> bySeries = metrics.get(metric);
      if (bySeries != null) {
        List<ReportData.Series> series = new ArrayList<>();
        bySeries.forEach((entity, pts) -> series.add(new ReportData.Series(entity, List.copyOf(pts))));
        charts.add(new ReportData.MetricChart(metric, MetricNames.unit(metric), series));
      }
    }
    List<ReportData.Series> scoreSeries = new ArrayList<>();
    scores.forEach((entity, pts) -> scoreSeries.add(new ReportData.Series(entity, List.copyOf(pts))));
    List<ReportData.FaultRow> faults = new ArrayList<>();
    for (FaultRecord f : timeline.faults()) {
      faults.add(new ReportData.FaultRow(f.scenario().name(), f.scenario().title(), millis(f.injected()),
          millis(f.detected()), millis(f.recovered()), millis(f.ended()), ms(f.mttd()), ms(f.mttr()),
          f.actions().stream().map(a -> a.kind() + " " + a.target() + " " + a.status()).toList(), f.passed()));
    }
    long s = start == null ? end.toEpochMilli() : start.toEpochMilli();
    return new ReportData(run, seed, s, end.toEpochMilli(), Double.isNaN(threshold) ? defaultThreshold : threshold,
        timeline.passed(), timeline.falseAnomalies(), timeline.falseIncidents(), charts, scoreSeries,
        List.copyOf(incidents.values()), List.copyOf(actions), faults);
  }

  private static Long millis(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }

  private static Long ms(Duration d) {
    return d == null ? null : d.toMillis();
  }
}
