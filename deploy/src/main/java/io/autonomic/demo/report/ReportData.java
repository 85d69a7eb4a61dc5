package io.autonomic.demo.report;

import java.util.List;

/**
 * Everything the report page shows, as it is embedded in it (JSON). Times are epoch milliseconds of the run's
 * clock; durations are milliseconds.
 */
public record ReportData(String run, long seed, long start, long end, double threshold, boolean passed,
    int falseAnomalies, int falseIncidents, List<MetricChart> metrics, List<Series> scores,
    List<IncidentBar> incidents, List<ActionMark> actions, List<FaultRow> faults) {

  public ReportData {
    metrics = List.copyOf(metrics);
    scores = List.copyOf(scores);
    incidents = List.copyOf(incidents);
    actions = List.copyOf(actions);
    faults = List.copyOf(faults);
  }

  /** One metric's chart: a series per entity. */
  public record MetricChart(String metric, String unit, List<Series> series) {}

  /** Points [time, value] of one entity. */
  public record Series(String entity, List<double[]> points) {}

  public record IncidentBar(String id, long opened, Long resolved, String severity, String summary) {}

  public record ActionMark(long t, String kind, String target, String status) {}

  /** One fault: its window and verdict; mttd/mttr null when it never happened. */
  public record FaultRow(String name, String title, Long injected, Long detected, Long recovered, Long ended,
      Long mttd, Long mttr, List<String> actions, boolean passed) {}
}
