package io.autonomic.streams;

import static io.autonomic.config.ConfigOption.bool;
import static io.autonomic.config.ConfigOption.duration;
import static io.autonomic.config.ConfigOption.integer;
import static io.autonomic.config.ConfigOption.string;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.ConfigOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every option of the three Kafka Streams apps, declared once (type, default, description). Client settings
 * ({@code kafka.*}, {@code registry.*}) come from {@link ClientOptions}; any other {@code streams.kafka.*} key is
 * passed to Kafka Streams as it is (e.g. {@code streams.kafka.num.stream.threads}).
 */
public final class StreamsOptions {
  private StreamsOptions() {}

  /** Prefix of the Kafka Streams settings passed through unchecked. */
  public static final String STREAMS_KAFKA_PREFIX = "streams.kafka";

  public static final ConfigOption<String> STATE_DIR = string("streams.state.dir", ".autonomic/streams-state",
      "Directory of the apps' local state stores (RocksDB), one subdirectory per application id; not under /tmp, "
          + "which the OS may clean while the apps run.");
  public static final ConfigOption<String> HTTP_HOST = string("streams.http.host", "127.0.0.1",
      "Address the HTTP endpoint (/metrics, /health, /incidents) binds to and advertises as application.server.");
  public static final ConfigOption<Integer> HTTP_PORT = integer("streams.http.port", 7070,
      "Port of the HTTP endpoint; 0 picks a free one.");
  public static final ConfigOption<Duration> COMMIT_INTERVAL = duration("streams.commit.interval", Duration.ofMillis(200),
      "Kafka Streams commit.interval.ms: how often a transaction commits (exactly-once output becomes visible then).");

  public static final ConfigOption<String> NORMALIZER_APP_ID = string("normalizer.application.id",
      "autonomic-normalizer", "Application id (consumer group, internal topic prefix) of the normalizer.");
  public static final ConfigOption<Integer> NORMALIZER_MAX_SERIES = integer("normalizer.max.series.per.entity", 10_000,
      "Cardinality guard of the shared Normalizer: distinct series per entity before new ones are rejected.");

  public static final ConfigOption<String> LOG_PATTERNS_APP_ID = string("log-patterns.application.id",
      "autonomic-log-patterns", "Application id of the log-patterns app.");
  public static final ConfigOption<Duration> LOG_PATTERNS_WINDOW = duration("log-patterns.window", Duration.ofMinutes(1),
      "Tumbling event-time window of the per-entity, per-template counts (log.template.count).");
  public static final ConfigOption<Duration> LOG_PATTERNS_GRACE = duration("log-patterns.grace", Duration.ofSeconds(30),
      "How late a log record may arrive and still count in its window; a window is emitted once stream time passes end+grace.");
  public static final ConfigOption<Integer> DRAIN_DEPTH = integer("log-patterns.drain.depth", 4,
      "Depth of Drain's parse tree (root and leaf included); depth-2 leading tokens route a message.");
  public static final ConfigOption<String> DRAIN_SIMILARITY = string("log-patterns.drain.similarity", "0.4",
      "Drain's similarity threshold st in [0,1]: below it a message starts a new template.");
  public static final ConfigOption<Integer> DRAIN_MAX_CHILDREN = integer("log-patterns.drain.max.children", 100,
      "Drain's maximum children of an internal tree node; further tokens share a <*> child.");
  public static final ConfigOption<Integer> DRAIN_MAX_TEMPLATES = integer("log-patterns.drain.max.templates", 10_000,
      "Templates kept per stream task; the least recently matched one is forgotten beyond it.");

  public static final ConfigOption<String> CORRELATOR_APP_ID = string("correlator.application.id",
      "autonomic-correlator", "Application id of the correlator.");
  public static final ConfigOption<String> CORRELATOR_GROUP_BY = string("correlator.group.by", "service",
      "Comma-separated anomaly tags that relate entities (first present wins, qualified by tag namespace); "
          + "anomalies with none of them are grouped by entity.");
  public static final ConfigOption<Duration> CORRELATOR_GROUP_WAIT = duration("correlator.group.wait", Duration.ofSeconds(30),
      "Like Alertmanager's group_wait: how long after a group's first anomaly the incident is opened, to collect related ones.");
  public static final ConfigOption<Duration> CORRELATOR_GROUP_INTERVAL = duration("correlator.group.interval",
      Duration.ofMinutes(5), "Like Alertmanager's group_interval: minimum time between two changes (UPDATED) of one incident.");
  public static final ConfigOption<Duration> CORRELATOR_RESOLVE_AFTER = duration("correlator.resolve.after",
      Duration.ofMinutes(10), "Quiet period: an incident resolves (and a pending group is dropped) when no anomaly arrived for this long.");
  public static final ConfigOption<Duration> CORRELATOR_WINDOW = duration("correlator.window", Duration.ofMinutes(1),
      "Length of one detector window, the unit of the m-of-n flapping rule.");
  public static final ConfigOption<Integer> CORRELATOR_OPEN_M = integer("correlator.open.windows", 2,
      "m of the m-of-n rule: anomalous windows needed among the last n before an incident opens.");
  public static final ConfigOption<Integer> CORRELATOR_OPEN_N = integer("correlator.open.of.windows", 3,
      "n of the m-of-n rule: how many recent windows are considered.");
  public static final ConfigOption<Integer> CORRELATOR_ESCALATE_ENTITIES = integer("correlator.escalate.entities", 3,
      "An incident spanning at least this many entities is raised one severity level above its worst anomaly.");
  public static final ConfigOption<Duration> CORRELATOR_TICK = duration("correlator.tick", Duration.ofSeconds(1),
      "How often timers (group wait, group interval, quiet period) are checked.");
  public static final ConfigOption<Boolean> CORRELATOR_HTTP = bool("correlator.http.enabled", true,
      "Serve GET /incidents?state=open and GET /incidents/{id} on the HTTP endpoint.");

  /** The options of the streams apps, without the client options. */
  public static final List<ConfigOption<?>> OWN = List.of(STATE_DIR, HTTP_HOST, HTTP_PORT, COMMIT_INTERVAL,
      NORMALIZER_APP_ID, NORMALIZER_MAX_SERIES,
      LOG_PATTERNS_APP_ID, LOG_PATTERNS_WINDOW, LOG_PATTERNS_GRACE, DRAIN_DEPTH, DRAIN_SIMILARITY,
      DRAIN_MAX_CHILDREN, DRAIN_MAX_TEMPLATES,
      CORRELATOR_APP_ID, CORRELATOR_GROUP_BY, CORRELATOR_GROUP_WAIT, CORRELATOR_GROUP_INTERVAL,
      CORRELATOR_RESOLVE_AFTER, CORRELATOR_WINDOW, CORRELATOR_OPEN_M, CORRELATOR_OPEN_N,
      CORRELATOR_ESCALATE_ENTITIES, CORRELATOR_TICK, CORRELATOR_HTTP);

  /** Every option the streams apps read: client options and their own. */
  public static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> all = new ArrayList<>(ClientOptions.ALL);
    all.addAll(OWN);
    return all;
  }

  /** Sections these apps own: unknown keys there are errors (typos), other sections belong to other apps. */
  public static final List<String> OWN_SECTIONS = List.of("streams", "normalizer", "log-patterns", "correlator",
      ClientOptions.REGISTRY);

  /**
   * Prefixes whose keys are not checked: {@code kafka.*} and {@code streams.kafka.*} (passed to the clients) and
   * every section of a shared config file that belongs to another component.
   */
  public static List<String> passThrough(io.autonomic.config.Config config) {
    List<String> prefixes = new ArrayList<>(List.of(ClientOptions.KAFKA, STREAMS_KAFKA_PREFIX));
    for (String key : config.keys()) {
      int dot = key.indexOf('.');
      String section = dot < 0 ? key : key.substring(0, dot);
      if (!OWN_SECTIONS.contains(section) && !prefixes.contains(section)) {
        prefixes.add(section);
      }
    }
    return prefixes;
  }
}
