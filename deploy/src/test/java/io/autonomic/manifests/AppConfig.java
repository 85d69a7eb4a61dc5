package io.autonomic.manifests;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import io.autonomic.config.ConfigOption;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.ingest.IngestOptions;
import io.autonomic.remediator.app.RemediatorOptions;
import io.autonomic.remediator.executor.ExecutorOptions;
import io.autonomic.streams.StreamsOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The apps that the images run (one Dockerfile target each), the config options each declares in its module's
 * *Options class, and the port its /metrics is served on. Manifests and the compose file set AUTONOMIC_* variables;
 * these are checked here against the options, so a misspelled or foreign key fails instead of being ignored.
 */
enum AppConfig {
  AGENT("agent", IngestOptions.all(), IngestOptions.METRICS_PORT, "/metrics"),
  STREAMS("streams", StreamsOptions.all(), StreamsOptions.HTTP_PORT, "/metrics"),
  REMEDIATOR("remediator", with(RemediatorOptions.ALL), RemediatorOptions.HTTP_PORT, "/metrics"),
  EXECUTOR("executor", with(ExecutorOptions.ALL), null, null),
  DETECTOR("detector", DetectorOptions.declared(), null, "/");

  /** Flink's Prometheus reporter port (metrics.reporter.prom.port), the detector's metrics port. */
  static final int FLINK_PROMETHEUS_PORT = 9249;

  final String target;
  final List<ConfigOption<?>> options;
  final ConfigOption<Integer> metricsPort;
  final String metricsPath;

  AppConfig(String target, List<ConfigOption<?>> options, ConfigOption<Integer> metricsPort, String metricsPath) {
    this.target = target;
    this.options = options;
    this.metricsPort = metricsPort;
    this.metricsPath = metricsPath;
  }

  private static List<ConfigOption<?>> with(List<ConfigOption<?>> own) {
    List<ConfigOption<?>> all = new ArrayList<>(ClientOptions.ALL);
    all.addAll(own);
    return all;
  }

  static Optional<AppConfig> ofTarget(String target) {
    for (AppConfig app : values()) {
      if (app.target.equals(target)) {
        return Optional.of(app);
      }
    }
    return Optional.empty();
  }

  /** The image name the manifests use for this app: {@code autonomic/<target>:<tag>}. */
  static Optional<AppConfig> ofImage(String image) {
    if (image == null || !image.startsWith("autonomic/")) {
      return Optional.empty();
    }
    String name = image.substring("autonomic/".length());
    int colon = name.indexOf(':');
    return ofTarget(colon < 0 ? name : name.substring(0, colon));
  }

  /**
   * Problems of an app's environment: AUTONOMIC_* names that are no option of this app, and values its options
   * cannot parse (each option is read through the real {@link Config}). Empty when all is well.
   */
  List<String> problems(Map<String, String> env) {
    Map<String, ConfigOption<?>> byEnv = new LinkedHashMap<>();
    options.forEach(o -> byEnv.put(o.envName(), o));
    List<String> problems = new ArrayList<>();
    Map<String, String> autonomic = new LinkedHashMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith("AUTONOMIC_")) {
        if (!byEnv.containsKey(name)) {
          problems.add(name + " is no config key of " + target + " (known: " + new TreeSet<>(byEnv.keySet()) + ")");
        } else if (value != null) {
          autonomic.put(name, value);
        }
      }
    });
    Config config = ConfigLoader.load(null, List.of(), autonomic, Map.of());
    for (Map.Entry<String, String> e : autonomic.entrySet()) {
      ConfigOption<?> option = byEnv.get(e.getKey());
      try {
        config.get(option);
      } catch (RuntimeException ex) {
        problems.add(e.getKey() + "=" + e.getValue() + ": " + ex.getMessage());
      }
    }
    return problems;
  }

  /** The metrics port this app serves given its environment (the option's value or default). */
  int metricsPort(Map<String, String> env) {
    if (this == DETECTOR) {
      return FLINK_PROMETHEUS_PORT;
    }
    if (metricsPort == null) {
      throw new IllegalStateException(target + " serves no metrics");
    }
    Map<String, String> autonomic = new LinkedHashMap<>();
    env.forEach((k, v) -> {
      if (k.equals(metricsPort.envName()) && v != null) {
        autonomic.put(k, v);
      }
    });
    return ConfigLoader.load(null, List.of(), autonomic, Map.of()).get(metricsPort);
  }
}
