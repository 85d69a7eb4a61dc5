package io.autonomic.streams.logpatterns;

import io.autonomic.config.Config;
import io.autonomic.streams.StreamsOptions;
import java.time.Duration;

/**
 * Settings of the log-patterns app.
 *
 * @param window       tumbling window of the per-template counts
 * @param grace        lateness accepted before a window is emitted
 * @param depth        Drain's tree depth
 * @param similarity   Drain's similarity threshold
 * @param maxChildren  Drain's children per node
 * @param maxTemplates templates kept per task
 */
public record LogPatternsSettings(Duration window, Duration grace, int depth, double similarity, int maxChildren,
    int maxTemplates) {

  public static LogPatternsSettings from(Config config) {
    String st = config.get(StreamsOptions.DRAIN_SIMILARITY);
    double similarity;
    try {
      similarity = Double.parseDouble(st.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(StreamsOptions.DRAIN_SIMILARITY.key() + ": expected a number in [0,1], got '"
          + st + "'");
    }
    if (similarity < 0 || similarity > 1) {
      throw new IllegalArgumentException(StreamsOptions.DRAIN_SIMILARITY.key() + ": expected a number in [0,1], got "
          + similarity);
    }
    return new LogPatternsSettings(config.get(StreamsOptions.LOG_PATTERNS_WINDOW),
        config.get(StreamsOptions.LOG_PATTERNS_GRACE), config.get(StreamsOptions.DRAIN_DEPTH), similarity,
        config.get(StreamsOptions.DRAIN_MAX_CHILDREN), config.get(StreamsOptions.DRAIN_MAX_TEMPLATES));
  }

  public static LogPatternsSettings defaults() {
    return from(Config.empty());
  }
}
