package io.autonomic.flinkjobs.eval;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a backtest: NAB scores per profile, point and event precision/recall at the
 * standard profile's threshold, and what was read.
 */
public record EvalReport(
    String detector,
    int files,
    int scoredFiles,
    long rows,
    long unusableRows,
    List<String> unlabeledFiles,
    List<NabScorer.ProfileResult> profiles,
    DetectionMetrics.Result metrics,
    long millis) {

  /** The normalised score of a profile, by NAB name. */
  public double score(String profile) {
    return profiles.stream()
        .filter(p -> p.profile().name().equals(profile))
        .findFirst()
        .orElseThrow()
        .normalizedScore();
  }

  /** The human-readable summary printed by {@code ./autonomic eval}. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "detector=%s files=%d scored=%d rows=%d unusable_rows=%d time=%.1fs%n",
        detector, files, scoredFiles, rows, unusableRows, millis / 1000.0));
    for (NabScorer.ProfileResult p : profiles) {
      sb.append(String.format(Locale.ROOT,
          "NAB %-20s score=%6.2f threshold=%.6f raw=%.3f null=%.3f perfect=%.1f%n",
          p.profile().name(), p.normalizedScore(), p.threshold(), p.rawScore(), p.nullScore(),
          p.perfectScore()));
    }
    sb.append(String.format(Locale.ROOT,
        "point  precision=%.3f recall=%.3f (tp=%d fp=%d fn=%d)%n",
        metrics.pointPrecision(), metrics.pointRecall(), metrics.pointTp(), metrics.pointFp(),
        metrics.pointFn()));
    sb.append(String.format(Locale.ROOT,
        "event  precision=%.3f recall=%.3f (windows detected=%d of %d, false alarms=%d)%n",
        metrics.eventPrecision(), metrics.eventRecall(), metrics.windowsDetected(),
        metrics.windows(), metrics.falseAlarms()));
    if (!unlabeledFiles.isEmpty()) {
      sb.append("not scored (no labels): ").append(String.join(", ", unlabeledFiles)).append('\n');
    }
    return sb.toString();
  }
}
