package io.autonomic.streams.correlator;

import io.autonomic.config.Config;
import io.autonomic.streams.StreamsOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How the correlator groups anomalies and when an incident opens, changes and resolves.
 *
 * @param groupBy          anomaly tags that relate entities (first present wins), e.g. service
 * @param groupWait        time from a group's first anomaly to its OPEN (Alertmanager's group_wait)
 * @param groupInterval    minimum time between two changes of one incident (Alertmanager's group_interval)
 * @param resolveAfter     quiet period after which an incident resolves or a pending group is dropped
 * @param window           length of one detector window, the unit of the m-of-n rule
 * @param openWindows      m: anomalous windows needed among the last n
 * @param ofWindows        n
 * @param escalateEntities entity count from which the severity is raised one level
 */
public record CorrelatorSettings(List<String> groupBy, Duration groupWait, Duration groupInterval,
    Duration resolveAfter, Duration window, int openWindows, int ofWindows, int escalateEntities) {

  public CorrelatorSettings {
    groupBy = List.copyOf(groupBy);
    if (openWindows < 1 || ofWindows < openWindows) {
      throw new IllegalArgumentException("correlator: need 1 <= open.windows (" + openWindows
          + ") <= open.of.windows (" + ofWindows + ")");
    }
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("correlator.window must be positive, got " + window);
    }
  }

  public static CorrelatorSettings from(Config config) {
    return new CorrelatorSettings(
        Arrays.stream(config.get(StreamsOptions.CORRELATOR_GROUP_BY).split(",")).map(String::trim)
            .filter(s -> !s.isEmpty()).toList(),
        config.get(StreamsOptions.CORRELATOR_GROUP_WAIT), config.get(StreamsOptions.CORRELATOR_GROUP_INTERVAL),
        config.get(StreamsOptions.CORRELATOR_RESOLVE_AFTER), config.get(StreamsOptions.CORRELATOR_WINDOW),
        config.get(StreamsOptions.CORRELATOR_OPEN_M), config.get(StreamsOptions.CORRELATOR_OPEN_N),
        config.get(StreamsOptions.CORRELATOR_ESCALATE_ENTITIES));
  }

  /** The defaults of {@link StreamsOptions}. */
  public static CorrelatorSettings defaults() {
    return from(Config.empty());
  }
}
