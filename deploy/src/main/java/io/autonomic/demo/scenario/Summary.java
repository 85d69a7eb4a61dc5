package io.autonomic.demo.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The end-of-run table: per fault, MTTD, MTTR, the actions taken and the verdict; then false alarms and the rule. */
public final class Summary {
  /** Actions listed per fault; the report lists them all. */
  static final int MAX_ACTIONS = 3;

  private Summary() {}

  /** The table as lines of text for a terminal. */
  public static String render(ScenarioTimeline timeline) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"fault", "MTTD", "MTTR", "actions", "result"});
    for (FaultRecord f : timeline.faults()) {
      String actions = f.actions().isEmpty() ? "none" : f.actions().stream().limit(MAX_ACTIONS)
          .map(a -> a.kind() + " " + a.target() + " " + a.status()).collect(Collectors.joining("; "))
          + (f.actions().size() > MAX_ACTIONS ? " (+" + (f.actions().size() - MAX_ACTIONS) + " more)" : "");
      String result = f.passed() ? "PASS" : "FAIL (" + reason(f) + ")";
      rows.add(new String[] {f.scenario().name(), ScenarioTimeline.secs(f.mttd()), ScenarioTimeline.secs(f.mttr()),
          actions, result});
    }
    int[] width = new int[5];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < rows.size(); k++) {
      String[] r = rows.get(k);
      for (int i = 0; i < r.length; i++) {
        sb.append(i == 0 ? "" : "  ").append(i == r.length - 1 ? r[i] : pad(r[i], width[i]));
      }
      sb.append('\n');
      if (k == 0) {
        int total = 0;
        for (int w : width) {
          total += w + 2;
        }
        sb.append("-".repeat(total - 2)).append('\n');
      }
    }
    sb.append(String.format(Locale.ROOT, "false alarms outside the faults: %d anomalies on %d entities%s, %d incidents%n",
        timeline.falseAnomalies(), timeline.falseAlarmEntities().size(),
        timeline.falseAlarmEntities().isEmpty() ? "" : " " + timeline.falseAlarmEntities(),
        timeline.falseIncidents()));
    List<String> outside = timeline.outsideActions();
    sb.append(String.format(Locale.ROOT, "outside the shop (this host's agent; not false alarms, must get no "
        + "action): %d anomalies on %d entities%s, %d incidents, %d actions%s%n", timeline.outsideAnomalies(),
        timeline.outsideEntities().size(), timeline.outsideEntities().isEmpty() ? ""
            : " " + timeline.outsideEntities().stream().sorted().toList(),
        timeline.outsideIncidents(), outside.size(), outside.isEmpty() ? "" : " " + outside));
    long passed = timeline.faults().stream().filter(FaultRecord::passed).count();
    sb.append(String.format(Locale.ROOT, "%s: %d of %d faults detected, remediated and recovered%s%n",
        timeline.passed() ? "PASSED" : "FAILED", passed, timeline.faults().size(),
        outside.isEmpty() ? "" : "; acted outside the shop"));
    return sb.toString();
  }

  /** Exit code of the demo: 0 only if every fault was detected and remediated, and nothing outside the shop was acted on. */
  public static int exitCode(ScenarioTimeline timeline) {
    return timeline.passed() ? 0 : 1;
  }

  private static String reason(FaultRecord f) {
    if (f.injected() == null) {
      return "not injected";
    }
    if (f.detected() == null) {
      return "not detected";
    }
    if (!f.remediated()) {
      return f.actions().isEmpty() ? "no action" : "no action applied";
    }
    return "not recovered";
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
