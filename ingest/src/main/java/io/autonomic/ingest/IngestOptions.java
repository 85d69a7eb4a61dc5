package io.autonomic.ingest;

import static io.autonomic.config.ConfigOption.bool;
import static io.autonomic.config.ConfigOption.duration;
import static io.autonomic.config.ConfigOption.integer;
import static io.autonomic.config.ConfigOption.secret;
import static io.autonomic.config.ConfigOption.string;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.ConfigOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every option of the agent ({@code ./autonomic agent}), declared once. Lists are YAML lists or
 * comma-separated strings. Example:
 *
 * <pre>
 * agent:
 *   max.series: 20000
 * collectors:
 *   host: {enabled: true, interval: 10s}
 *   prometheus:
 *     enabled: true
 *     targets: [http://127.0.0.1:9100/metrics]
 *     labels: [env=prod]
 *   otlp: {enabled: true, port: 4318, token: ${env:OTLP_TOKEN}}
 *   logs: {enabled: true, files: [/var/log/app/app.log]}
 * </pre>
 */
public final class IngestOptions {
  private IngestOptions() {}

  public static final ConfigOption<String> AGENT_ID = string("agent.id", null,
      "Name of this agent (the source of its points and the entity of host metrics); default: the host name.");
  public static final ConfigOption<Integer> MAX_SERIES = integer("agent.max.series", 10_000,
      "Cardinality guard: at most this many series per agent; points of further series are dropped and counted.");
  public static final ConfigOption<Integer> METRICS_PORT = integer("agent.metrics.port", 9464,
      "Port of the agent's own Prometheus /metrics and /health endpoint; 0 picks a free port, -1 disables it.");

  public static final ConfigOption<String> SPOOL_DIR = string("delivery.spool.dir", ".autonomic/spool",
      "Directory of the on-disk spool that holds points while Kafka is unreachable.");
  public static final ConfigOption<Integer> SPOOL_MAX_MB = integer("delivery.spool.max.mb", 256,
      "Bound of the spool in MiB; when full, the oldest points are dropped and counted.");
  public static final ConfigOption<Integer> SPOOL_SEGMENT_MB = integer("delivery.spool.segment.mb", 16,
      "Size of one spool segment file in MiB (the unit of deletion).");
  public static final ConfigOption<Integer> MEMORY_POINTS = integer("delivery.memory.points", 100_000,
      "Points held in memory before new ones go to the disk spool.");
  public static final ConfigOption<Integer> MAX_IN_FLIGHT = integer("delivery.max.in.flight", 50_000,
      "Points handed to the producer and not yet acknowledged, at most.");
  public static final ConfigOption<Duration> SHUTDOWN_TIMEOUT = duration("delivery.shutdown.timeout",
      Duration.ofSeconds(10), "How long shutdown waits for Kafka to acknowledge the backlog before spooling it.");
  public static final ConfigOption<String> COMPRESSION = string("delivery.compression", "lz4",
      "Producer compression: lz4, zstd, snappy, gzip or none.");
  public static final ConfigOption<Duration> LINGER = duration("delivery.linger", Duration.ofMillis(20),
      "Producer linger.ms: how long a batch waits to fill.");
  public static final ConfigOption<Integer> BATCH_BYTES = integer("delivery.batch.bytes", 256 * 1024,
      "Producer batch.size in bytes.");

  public static final ConfigOption<Boolean> HOST_ENABLED = bool("collectors.host.enabled", true,
      "Collect this host's cpu, memory, disk, network and load from /proc and /sys.");
  public static final ConfigOption<Duration> HOST_INTERVAL = duration("collectors.host.interval",
      Duration.ofSeconds(10), "Interval of the host collector.");
  public static final ConfigOption<String> HOST_PROC = string("collectors.host.proc", "/proc",
      "Where procfs is mounted (/host/proc in a container that watches its node).");
  public static final ConfigOption<String> HOST_SYS = string("collectors.host.sys", "/sys",
      "Where sysfs is mounted.");

  public static final ConfigOption<Boolean> PROM_ENABLED = bool("collectors.prometheus.enabled", false,
      "Scrape Prometheus /metrics endpoints.");
  public static final ConfigOption<String> PROM_TARGETS = string("collectors.prometheus.targets", "",
      "URLs to scrape, e.g. http://127.0.0.1:9100/metrics.");
  public static final ConfigOption<Duration> PROM_INTERVAL = duration("collectors.prometheus.interval",
      Duration.ofSeconds(15), "Scrape interval.");
  public static final ConfigOption<Duration> PROM_TIMEOUT = duration("collectors.prometheus.timeout",
      Duration.ofSeconds(5), "Scrape timeout per target.");
  public static final ConfigOption<String> PROM_LABELS = string("collectors.prometheus.labels", "",
      "Extra labels added to every scraped series, as key=value items.");

  public static final ConfigOption<Boolean> OTLP_ENABLED = bool("collectors.otlp.enabled", false,
      "Receive OTLP/HTTP (/v1/metrics, /v1/logs) from OpenTelemetry SDKs and Collectors.");
  public static final ConfigOption<String> OTLP_HOST = string("collectors.otlp.host", "0.0.0.0",
      "Address the OTLP receiver binds to.");
  public static final ConfigOption<Integer> OTLP_PORT = integer("collectors.otlp.port", 4318,
      "Port of the OTLP/HTTP receiver.");
  public static final ConfigOption<String> OTLP_TOKEN = secret("collectors.otlp.token",
      "Bearer token the OTLP receiver requires; unset: no authentication.");
  public static final ConfigOption<String> OTLP_KEYSTORE = string("collectors.otlp.tls.keystore", null,
      "PKCS12 keystore with the receiver's certificate; set to serve HTTPS.");
  public static final ConfigOption<String> OTLP_KEYSTORE_PASSWORD = secret("collectors.otlp.tls.keystore.password",
      "Password of the receiver's keystore.");
  public static final ConfigOption<Integer> OTLP_MAX_BODY_MB = integer("collectors.otlp.max.body.mb", 16,
      "Largest accepted request body in MiB; larger ones get HTTP 413.");

  public static final ConfigOption<Boolean> LOGS_ENABLED = bool("collectors.logs.enabled", false,
      "Follow log files (rotation and truncation handled).");
  public static final ConfigOption<String> LOGS_FILES = string("collectors.logs.files", "",
      "Log files to follow.");
  public static final ConfigOption<String> LOGS_STATE_DIR = string("collectors.logs.state.dir", ".autonomic/logtail",
      "Where the read positions are kept across agent restarts.");
  public static final ConfigOption<Duration> LOGS_POLL = duration("collectors.logs.poll", Duration.ofMillis(500),
      "How often the files are checked for new lines, rotation and truncation.");

  /** The agent's own options (without the shared kafka/registry ones). */
  public static final List<ConfigOption<?>> AGENT = List.of(AGENT_ID, MAX_SERIES, METRICS_PORT, SPOOL_DIR,
      SPOOL_MAX_MB, SPOOL_SEGMENT_MB, MEMORY_POINTS, MAX_IN_FLIGHT, SHUTDOWN_TIMEOUT, COMPRESSION, LINGER,
      BATCH_BYTES, HOST_ENABLED, HOST_INTERVAL, HOST_PROC, HOST_SYS, PROM_ENABLED, PROM_TARGETS, PROM_INTERVAL,
      PROM_TIMEOUT, PROM_LABELS, OTLP_ENABLED, OTLP_HOST, OTLP_PORT, OTLP_TOKEN, OTLP_KEYSTORE,
      OTLP_KEYSTORE_PASSWORD, OTLP_MAX_BODY_MB, LOGS_ENABLED, LOGS_FILES, LOGS_STATE_DIR, LOGS_POLL);

  /** Everything the agent reads, for {@code Config.validate}. */
  public static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> all = new ArrayList<>(ClientOptions.ALL);
    all.addAll(AGENT);
    return all;
  }

  /** A comma-separated value as a list of trimmed, non-empty items. */
  public static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
