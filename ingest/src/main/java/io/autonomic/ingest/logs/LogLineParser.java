package io.autonomic.ingest.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.avro.LogSeverity;
import io.autonomic.ingest.normalize.Normalizer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads timestamp, severity, message and attributes from one log line: JSON logs (logstash, bunyan,
 * zap, slog...), logfmt, syslog (RFC 5424 and RFC 3164, with or without the {@code <PRI>}) and the
 * common "timestamp LEVEL message" layout of log4j/logback/Python. A line none of these read is kept
 * whole as the message, at the time it was read, with severity UNSPECIFIED: never dropped.
 */
public final class LogLineParser {
  /** A parsed line; {@code timeMillis} null when the line gives none. */
  public record Parsed(Long timeMillis, LogSeverity severity, String message, Map<String, String> attributes,
      String format) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TIME_KEYS = List.of("@timestamp", "timestamp", "time", "ts", "t", "date",
      "datetime", "eventTime");
  private static final List<String> LEVEL_KEYS = List.of("level", "severity", "lvl", "log.level", "levelname",
      "loglevel", "severity_text", "status");
  private static final List<String> MESSAGE_KEYS = List.of("message", "msg", "log", "text", "body", "event");

  private static final Pattern SYSLOG_5424 = Pattern.compile(
      "^<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (-|\\[.*?\\](?:\\[.*?\\])*)\\s?(.*)$");
  private static final Pattern SYSLOG_3164 = Pattern.compile(
      "^(?:<(\\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}:\\d{2}:\\d{2}) (\\S+) ([^:\\[\\s]+)(?:\\[(\\d+)\\])?: ?(.*)$");
  private static final Pattern PLAIN = Pattern.compile(
      "^\\[?(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?)\\]?\\s+"
          + "\\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT)\\]?:?\\s+(.*)$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern LOGFMT_PAIR = Pattern.compile(
      "([A-Za-z_][\\w.\\-/]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

  private final int defaultYear;

  /** @param defaultYear the year of RFC 3164 timestamps, which carry none */
  public LogLineParser(int defaultYear) {
    this.defaultYear = defaultYear;
  }

  public Parsed parse(String line) {
    String trimmed = line.strip();
    if (trimmed.startsWith("{")) {
      Parsed p = json(trimmed);
      if (p != null) {
        return p;
      }
    }
    if (trimmed.startsWith("<") || (!trimmed.isEmpty() && Character.isUpperCase(trimmed.charAt(0)))) {
      Parsed p = syslog(trimmed);
      if (p != null) {
        return p;
      }
    }
    Parsed plain = plain(trimmed);
    if (plain != null) {
      return plain;
    }
    Parsed logfmt = logfmt(trimmed);
    if (logfmt != null) {
      return logfmt;
    }
    return new Parsed(null, LogSeverity.UNSPECIFIED, line, Map.of(), "raw");
  }

  private Parsed json(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (Exception e) {
      return null;
    }
    if (node == null || !node.isObject()) {
      return null;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    flatten("", node, attributes);
    Long time = null;
    for (String k : TIME_KEYS) {
      if (attributes.containsKey(k)) {
        time = time(attributes.get(k));
        if (time != null) {
          attributes.remove(k);
          break;
        }
      }
    }
    LogSeverity severity = LogSeverity.UNSPECIFIED;
    for (String k : LEVEL_KEYS) {
      if (attributes.containsKey(k)) {
        String v = attributes.get(k);
        severity = Normalizer.severity(v);
        if (severity == LogSeverity.UNSPECIFIED && v.matches("\\d{1,2}")) {
          severity = Normalizer.severity(Integer.parseInt(v)); // an OpenTelemetry severity number
        }
        if (severity != LogSeverity.UNSPECIFIED) {
          attributes.remove(k);
          break;
        }
      }
    }
    String message = null;
    for (String k : MESSAGE_KEYS) {
      if (attributes.containsKey(k)) {
        message = attributes.remove(k);
        break;
      }
    }
    return new Parsed(time, severity, message != null ? message : line, attributes, "json");
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject() && prefix.isEmpty()) {
        flatten(key, v, out);
      } else if (v.isValueNode()) {
        if (v.isFloatingPointNumber()) {
          out.put(key, java.math.BigDecimal.valueOf(v.asDouble()).toPlainString());
        } else if (!v.isNull()) {
          out.put(key, v.asText());
        }
      } else {
        out.put(key, v.toString());
      }
    }
  }

  private Parsed syslog(String line) {
    Matcher m = SYSLOG_5424.matcher(line);
    if (m.matches()) {
      Map<String, String> attrs = new LinkedHashMap<>();
      int pri = Integer.parseInt(m.group(1));
      attrs.put("syslog.facility", Integer.toString(pri / 8));
      putUnlessNil(attrs, "host.name", m.group(3));
      putUnlessNil(attrs, "syslog.app", m.group(4));
      putUnlessNil(attrs, "syslog.procid", m.group(5));
      putUnlessNil(attrs, "syslog.msgid", m.group(6));
      putUnlessNil(attrs, "syslog.structured_data", m.group(7));
      return new Parsed(time(m.group(2)), syslogSeverity(pri), m.group(8), attrs, "syslog");
    }
    m = SYSLOG_3164.matcher(line);
    if (m.matches()) {
      Map<String, String> attrs = new LinkedHashMap<>();
      LogSeverity severity = LogSeverity.UNSPECIFIED;
      if (m.group(1) != null) {
        int pri = Integer.parseInt(m.group(1));
        attrs.put("syslog.facility", Integer.toString(pri / 8));
        severity = syslogSeverity(pri);
      }
      Long time = null;
      try {
        LocalDateTime t = LocalDateTime.parse(defaultYear + " " + m.group(2) + " " + m.group(3) + " " + m.group(4),
            DateTimeFormatter.ofPattern("yyyy MMM d HH:mm:ss", Locale.ENGLISH));
        time = t.toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException e) {
        return null;
      }
      attrs.put("host.name", m.group(5));
      attrs.put("syslog.app", m.group(6));
      if (m.group(7) != null) {
        attrs.put("syslog.procid", m.group(7));
      }
      return new Parsed(time, severity, m.group(8), attrs, "syslog");
    }
    return null;
  }

  private static void putUnlessNil(Map<String, String> attrs, String key, String value) {
    if (value != null && !value.equals("-")) {
      attrs.put(key, value);
    }
  }

  /** Syslog severity (PRI mod 8): 0-2 emergency/alert/critical, 3 error, 4 warning, 5-6 notice/info, 7 debug. */
  static LogSeverity syslogSeverity(int pri) {
    return switch (pri % 8) {
      case 0, 1, 2 -> LogSeverity.FATAL;
      case 3 -> LogSeverity.ERROR;
      case 4 -> LogSeverity.WARN;
      case 5, 6 -> LogSeverity.INFO;
      default -> LogSeverity.DEBUG;
    };
  }

  private Parsed plain(String line) {
    Matcher m = PLAIN.matcher(line);
    if (!m.matches()) {
      return null;
    }
    Long time = time(m.group(1));
    if (time == null) {
      return null;
    }
    return new Parsed(time, Normalizer.severity(m.group(2)), m.group(3), Map.of(), "plain");
  }

  private Parsed logfmt(String line) {
    Matcher m = LOGFMT_PAIR.matcher(line);
    Map<String, String> pairs = new LinkedHashMap<>();
    int covered = 0;
    while (m.find()) {
      String v = m.group(2);
      if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
        v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
      }
      pairs.put(m.group(1), v);
      covered += m.group().length();
    }
    // logfmt only when pairs make up most of the line and name a message or level
    boolean known = pairs.keySet().stream().anyMatch(k -> MESSAGE_KEYS.contains(k) || LEVEL_KEYS.contains(k));
    if (pairs.size() < 2 || !known || covered < line.replace(" ", "").length() * 0.8) {
      return null;
    }
    Long time = null;
    for (String k : TIME_KEYS) {
      if (pairs.containsKey(k) && (time = time(pairs.get(k))) != null) {
        pairs.remove(k);
        break;
      }
    }
    LogSeverity severity = LogSeverity.UNSPECIFIED;
    for (String k : LEVEL_KEYS) {
      if (pairs.containsKey(k)) {
        severity = Normalizer.severity(pairs.remove(k));
        break;
      }
    }
    String message = null;
    for (String k : MESSAGE_KEYS) {
      if (pairs.containsKey(k)) {
        message = pairs.remove(k);
        break;
      }
    }
    return new Parsed(time, severity, message != null ? message : line, pairs, "logfmt");
  }

  /** ISO-8601 (with or without zone: UTC assumed), "yyyy-MM-dd HH:mm:ss[,.]fff", or epoch seconds / millis. */
  static Long time(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String v = s.trim();
    if (v.matches("\\d{9,10}(\\.\\d+)?")) {
      return Math.round(Double.parseDouble(v) * 1000);
    }
    if (v.matches("\\d{12,13}")) {
      return Long.parseLong(v);
    }
    if (v.matches("\\d{16,19}")) {
      return Long.parseLong(v) / (v.length() >= 19 ? 1_000_000L : 1_000L);
    }
    String iso = v.replace(' ', 'T').replace(',', '.');
    if (iso.matches(".*[+-]\\d{4}$")) {
      iso = iso.substring(0, iso.length() - 2) + ":" + iso.substring(iso.length() - 2);
    }
    try {
      return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      // try without a zone
    }
    try {
      return ZonedDateTime.parse(iso).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      // try without a zone
    }
    try {
      return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static Instant instant(long millis) {
    return Instant.ofEpochMilli(millis);
  }
}
