package io.autonomic.streams.normalizer.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.ingest.normalize.Normalizer;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * telemetry.raw.json: JSON log records as Fluent Bit's ({@code format json}) and Vector's ({@code encoding.codec
 * = "json"}) Kafka outputs write them: one object per record (an array of objects is accepted too).
 *
 * <ul>
 *   <li>message: {@code message}, {@code log}, {@code msg} or {@code MESSAGE} (journald), the first present;</li>
 *   <li>time: {@code @timestamp} (Fluent Bit), {@code timestamp} (Vector), {@code time}, {@code ts} or
 *       {@code date}, as epoch seconds (with fraction), milliseconds or nanoseconds, or ISO-8601; else the Kafka
 *       record's timestamp;</li>
 *   <li>level: {@code level}, {@code severity}, {@code log.level}, {@code lvl} or {@code loglevel}, mapped by the
 *       shared {@link Normalizer#severity(String)};</li>
 *   <li>entity: Kubernetes metadata of Fluent Bit ({@code kubernetes.namespace_name}, {@code .pod_name},
 *       {@code .host}) and Vector ({@code kubernetes.pod_namespace}, {@code .pod_name}, {@code .pod_node_name})
 *       read as the OpenTelemetry resource attributes, and {@code host}/{@code hostname}; then the shared
 *       Normalizer's rules;</li>
 *   <li>other scalar fields become attributes, nested objects flattened with dots.</li>
 * </ul>
 */
public final class JsonLogFormat implements RawFormat {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> MESSAGE = List.of("message", "log", "msg", "MESSAGE");
  private static final List<String> TIME = List.of("@timestamp", "timestamp", "time", "ts", "date");
  private static final List<String> LEVEL = List.of("level", "severity", "log.level", "lvl", "loglevel");
  private static final Map<String, String> RESOURCE = Map.ofEntries(
      Map.entry("kubernetes.namespace_name", Normalizer.K8S_NAMESPACE),
      Map.entry("kubernetes.pod_namespace", Normalizer.K8S_NAMESPACE),
      Map.entry("kubernetes.pod_name", Normalizer.K8S_POD),
      Map.entry("kubernetes.host", Normalizer.HOST_NAME),
      Map.entry("kubernetes.pod_node_name", Normalizer.HOST_NAME),
      Map.entry("host", Normalizer.HOST_NAME),
      Map.entry("hostname", Normalizer.HOST_NAME),
      Map.entry("service", Normalizer.SERVICE_NAME),
      Map.entry("service.name", Normalizer.SERVICE_NAME));

  private final Normalizer normalizer;

  public JsonLogFormat(Normalizer normalizer) {
    this.normalizer = normalizer;
  }

  @Override
  public String name() {
    return "json";
  }

  @Override
  public Decoded decode(byte[] value, Headers headers, long recordTimestamp) throws MalformedTelemetryException {
    JsonNode root;
    try {
      root = MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      throw new MalformedTelemetryException("not JSON: " + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new MalformedTelemetryException("not JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedTelemetryException("not JSON: empty record");
    }
    List<LogRecord> logs = new ArrayList<>();
    if (root.isArray()) {
      int i = 0;
      for (JsonNode element : root) {
        logs.add(log(element, recordTimestamp, "element " + i++ + ": "));
      }
      if (logs.isEmpty()) {
        throw new MalformedTelemetryException("json log: empty array");
      }
    } else {
      logs.add(log(root, recordTimestamp, ""));
    }
    return Decoded.logs(logs);
  }

  private LogRecord log(JsonNode node, long recordTimestamp, String where) throws MalformedTelemetryException {
    if (!node.isObject()) {
      throw new MalformedTelemetryException("json log: " + where + "expected an object, got "
          + node.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    Map<String, String> flat = new LinkedHashMap<>();
    flatten("", node, flat);
    String message = first(flat, MESSAGE);
    if (message == null) {
      throw new MalformedTelemetryException("json log: " + where + "no message field (looked for "
          + String.join(", ", MESSAGE) + ")");
    }
    String timeKey = firstKey(flat, TIME);
    long time = timeKey == null ? recordTimestamp : time(flat.get(timeKey), timeKey, where);
    String levelKey = firstKey(flat, LEVEL);
    LogSeverity severity = levelKey == null ? LogSeverity.UNSPECIFIED : Normalizer.severity(flat.get(levelKey));
    Map<String, String> resource = new LinkedHashMap<>();
    RESOURCE.forEach((from, to) -> {
      String v = flat.get(from);
      if (v != null && !resource.containsKey(to)) {
        resource.put(to, v);
      }
    });
    Map<String, String> attributes = new LinkedHashMap<>(flat);
    MESSAGE.forEach(attributes::remove);
    if (timeKey != null) {
      attributes.remove(timeKey);
    }
    if (levelKey != null) {
      attributes.remove(levelKey);
    }
    String source = first(flat, List.of("file", "source", "stream", "_SYSTEMD_UNIT"));
    return normalizer.log(resource, attributes, time, severity, message, source);
  }

  private static long time(String raw, String key, String where) throws MalformedTelemetryException {
    try {
      double number = Double.parseDouble(raw);
      double abs = Math.abs(number);
      if (abs >= 1e17) {
        return (long) (number / 1e6); // nanoseconds
      }
      if (abs >= 1e14) {
        return (long) (number / 1e3); // microseconds
      }
      if (abs >= 1e11) {
        return (long) number; // milliseconds
      }
      return Math.round(number * 1000); // seconds with fraction (Fluent Bit's default)
    } catch (NumberFormatException notANumber) {
      try {
        return Instant.parse(raw).toEpochMilli();
      } catch (DateTimeParseException e) {
        try {
          return java.time.OffsetDateTime.parse(raw).toInstant().toEpochMilli();
        } catch (DateTimeParseException e2) {
          throw new MalformedTelemetryException("json log: " + where + "'" + key + "' is neither epoch time nor "
              + "ISO-8601: '" + raw + "'");
        }
      }
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
      }
    } else if (node.isArray()) {
      out.put(prefix, node.toString());
    } else if (!node.isNull()) {
      out.put(prefix, node.asText());
    }
  }

  private static String firstKey(Map<String, String> flat, List<String> keys) {
    for (String k : keys) {
      if (flat.containsKey(k)) {
        return k;
      }
    }
    return null;
  }

  private static String first(Map<String, String> flat, List<String> keys) {
    String k = firstKey(flat, keys);
    return k == null ? null : flat.get(k);
  }
}
