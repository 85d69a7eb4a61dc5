package io.autonomic.ingest.normalize;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.autonomic.avro.MetricPoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The normalization rules every producer of telemetry shares (our collectors, the OTLP receiver and
 * the Kafka Streams normalizer of foreign formats): entity identity, canonical names and units, tags,
 * and the cardinality guard. Thread-safe.
 *
 * <h2>Entity identity</h2>
 * Taken from resource attributes first, then point attributes / labels, most specific first:
 * <ol>
 *   <li>{@code k8s.pod.name} → kind {@code pod}, id {@code <namespace>/<pod>}</li>
 *   <li>{@code k8s.deployment.name} → kind {@code deployment}, id {@code <namespace>/<deployment>}</li>
 *   <li>{@code service.name} → kind {@code service}, id {@code [<service.namespace>/]<service.name>}</li>
 *   <li>{@code host.name} → kind {@code host}, id the host name</li>
 *   <li>otherwise the normalizer's default entity (the agent's host), or {@code unknown}.</li>
 * </ol>
 * The namespace is {@code k8s.namespace.name} ({@code default} when absent). Prometheus-style label
 * names are read as their OpenTelemetry equivalents: {@code namespace}, {@code pod},
 * {@code deployment}, {@code host}/{@code hostname}/{@code node}; {@code job} as {@code service.name}
 * (as the Collector's Prometheus receiver maps it).
 *
 * <h2>Tags</h2>
 * Point attributes, then resource attributes (which win), as strings, minus bulky SDK descriptors
 * ({@code telemetry.sdk.*}, {@code process.command_line} ...) that would only multiply series.
 */
public final class Normalizer {
  public static final String POD = "pod";
  public static final String DEPLOYMENT = "deployment";
  public static final String SERVICE = "service";
  public static final String HOST = "host";
  public static final String UNKNOWN = "unknown";

  public static final String K8S_NAMESPACE = "k8s.namespace.name";
  public static final String K8S_POD = "k8s.pod.name";
  public static final String K8S_DEPLOYMENT = "k8s.deployment.name";
  public static final String SERVICE_NAME = "service.name";
  public static final String SERVICE_NAMESPACE = "service.namespace";
  public static final String HOST_NAME = "host.name";

  private static final Map<String, List<String>> ALIASES = Map.of(
      K8S_NAMESPACE, List.of(K8S_NAMESPACE, "namespace", "kubernetes_namespace", "k8s_namespace_name"),
      K8S_POD, List.of(K8S_POD, "pod", "pod_name", "kubernetes_pod_name", "k8s_pod_name"),
      K8S_DEPLOYMENT, List.of(K8S_DEPLOYMENT, "deployment", "k8s_deployment_name"),
      SERVICE_NAME, List.of(SERVICE_NAME, "service_name", "job"),
      SERVICE_NAMESPACE, List.of(SERVICE_NAMESPACE),
      HOST_NAME, List.of(HOST_NAME, "host", "hostname", "host_name", "node", "nodename"));

  private static final Set<String> DROPPED_TAG_PREFIXES = Set.of("telemetry.sdk.", "telemetry.distro.",
      "process.command", "process.executable.", "process.runtime.description", "os.description");

  private final String source;
  private final String defaultHost;
  private final CardinalityGuard guard;
  private final LongAdder nonFinite = new LongAdder();

  /**
   * @param source what produced the points ({@code agent:host-1}, {@code normalizer:otlp}); may be null
   * @param defaultHost the entity of points that name none (the agent's own host); null for {@code unknown}
   * @param guard the cardinality guard shared by everything this agent publishes
   */
  public Normalizer(String source, String defaultHost, CardinalityGuard guard) {
    this.source = source;
    this.defaultHost = defaultHost;
    this.guard = guard;
  }

  public CardinalityGuard guard() {
    return guard;
  }

  public String source() {
    return source;
  }

  /** Points dropped because their value was NaN or infinite (staleness markers, broken sources). */
  public long nonFiniteDropped() {
    return nonFinite.sum();
  }

  /** The entity named by resource attributes, then point attributes (either may be empty). */
  public Entity entity(Map<String, String> resource, Map<String, String> attributes) {
    String namespace = Optional.ofNullable(lookup(K8S_NAMESPACE, resource, attributes)).orElse("default");
    String pod = lookup(K8S_POD, resource, attributes);
    if (pod != null) {
      return new Entity(namespace + "/" + pod, POD);
    }
    String deployment = lookup(K8S_DEPLOYMENT, resource, attributes);
    if (deployment != null) {
      return new Entity(namespace + "/" + deployment, DEPLOYMENT);
    }
    String service = lookup(SERVICE_NAME, resource, attributes);
    if (service != null && !service.startsWith("unknown_service")) {
      String serviceNamespace = lookup(SERVICE_NAMESPACE, resource, attributes);
      return new Entity(serviceNamespace == null ? service : serviceNamespace + "/" + service, SERVICE);
    }
    String host = lookup(HOST_NAME, resource, attributes);
    if (host != null) {
      return new Entity(host, HOST);
    }
    if (defaultHost != null) {
      return new Entity(defaultHost, HOST);
    }
    return new Entity(service != null ? service : UNKNOWN, service != null ? SERVICE : UNKNOWN);
  }

  /** Tags of a point: its attributes overlaid with the resource's, minus bulky SDK descriptors. */
  public static Map<String, String> tags(Map<String, String> resource, Map<String, String> attributes) {
    Map<String, String> tags = new TreeMap<>();
    putTags(tags, attributes);
    putTags(tags, resource);
    return tags;
  }

  private static void putTags(Map<String, String> tags, Map<String, String> from) {
    for (Map.Entry<String, String> e : from.entrySet()) {
      if (e.getKey() == null || e.getValue() == null || dropped(e.getKey())) {
        continue;
      }
      tags.put(e.getKey(), e.getValue());
    }
  }

  private static boolean dropped(String key) {
    for (String prefix : DROPPED_TAG_PREFIXES) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A normalized point, or empty when the cardinality guard refuses its series or its value is not
   * finite (both counted). {@code rawName} and {@code rawUnit} are canonicalized here.
   */
  public Optional<MetricPoint> metric(Map<String, String> resource, Map<String, String> attributes,
      String rawName, String rawUnit, double value, long eventTimeMillis) {
    MetricNames.Canonical canonical = MetricNames.canonical(rawName, rawUnit);
    return canonicalMetric(resource, attributes, canonical.name(), canonical.unit(), value, eventTimeMillis);
  }

  /** Like {@link #metric} for a name and unit already canonical (derived series such as {@code x.p99}). */
  public Optional<MetricPoint> canonicalMetric(Map<String, String> resource, Map<String, String> attributes,
      String name, String unit, double value, long eventTimeMillis) {
    if (!Double.isFinite(value)) {
      nonFinite.increment();
      return Optional.empty();
    }
    Entity entity = entity(resource, attributes);
    Map<String, String> tags = tags(resource, attributes);
    if (!guard.admit(entity.id(), name, tags)) {
      return Optional.empty();
    }
    return Optional.of(MetricPoint.newBuilder()
        .setEntityId(entity.id())
        .setEntityKind(entity.kind())
        .setMetric(name)
        .setValue(value)
        .setUnit(unit)
        .setEventTime(java.time.Instant.ofEpochMilli(eventTimeMillis))
        .setTags(new LinkedHashMap<>(tags))
        .setSource(source)
        .build());
  }

  /** A normalized log record. Logs are not series, so the cardinality guard does not apply. */
  public LogRecord log(Map<String, String> resource, Map<String, String> attributes, long eventTimeMillis,
      LogSeverity severity, String message, String logSource) {
    Entity entity = entity(resource, attributes);
    return LogRecord.newBuilder()
        .setEntityId(entity.id())
        .setEntityKind(entity.kind())
        .setEventTime(java.time.Instant.ofEpochMilli(eventTimeMillis))
        .setSeverity(severity == null ? LogSeverity.UNSPECIFIED : severity)
        .setMessage(message == null ? "" : message)
        .setAttributes(new LinkedHashMap<>(tags(resource, attributes)))
        .setSource(logSource != null ? logSource : source)
        .build();
  }

  /** OpenTelemetry severity number (1-24) to a level: 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL. */
  public static LogSeverity severity(int severityNumber) {
    if (severityNumber <= 0) {
      return LogSeverity.UNSPECIFIED;
    }
    if (severityNumber <= 4) {
      return LogSeverity.TRACE;
    }
    if (severityNumber <= 8) {
      return LogSeverity.DEBUG;
    }
    if (severityNumber <= 12) {
      return LogSeverity.INFO;
    }
    if (severityNumber <= 16) {
      return LogSeverity.WARN;
    }
    if (severityNumber <= 20) {
      return LogSeverity.ERROR;
    }
    return LogSeverity.FATAL;
  }

  /**
   * A level written as text (log4j, logback, syslog keywords, Python, Go, bunyan numbers): {@code warning}
   * → WARN, {@code crit}/{@code emerg}/{@code panic} → FATAL, {@code notice} → INFO; unknown → UNSPECIFIED.
   */
  public static LogSeverity severity(String text) {
    if (text == null || text.isBlank()) {
      return LogSeverity.UNSPECIFIED;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "trace", "finest", "finer", "trc", "10":
        return LogSeverity.TRACE;
      case "debug", "fine", "config", "dbg", "debug2", "20":
        return LogSeverity.DEBUG;
      case "info", "information", "informational", "notice", "inf", "30":
        return LogSeverity.INFO;
      case "warn", "warning", "wrn", "40":
        return LogSeverity.WARN;
      case "error", "err", "severe", "eror", "50":
        return LogSeverity.ERROR;
      case "fatal", "critical", "crit", "alert", "emerg", "emergency", "panic", "ftl", "60":
        return LogSeverity.FATAL;
      default:
        return LogSeverity.UNSPECIFIED;
    }
  }

  private static String lookup(String key, Map<String, String> resource, Map<String, String> attributes) {
    List<String> names = ALIASES.get(key);
    for (String name : names) {
      String v = resource.get(name);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    for (String name : names) {
      String v = attributes.get(name);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }
}
