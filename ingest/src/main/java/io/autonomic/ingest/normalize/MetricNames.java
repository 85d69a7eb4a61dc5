package io.autonomic.ingest.normalize;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical metric names and UCUM units.
 *
 * <p>Names follow the OpenTelemetry semantic conventions: lower-case and dotted. A name that already
 * contains a dot (an OpenTelemetry name such as {@code system.cpu.load_average.1m}) is only
 * lower-cased, so its underscores survive. A Prometheus-style name ({@code node_network_receive_bytes_total})
 * loses its {@code _total} suffix and its unit suffix, which becomes the unit when none is given
 * (as the OpenTelemetry Collector's Prometheus receiver does), and its underscores become dots:
 * {@code node.network.receive} in {@code By}.
 */
public final class MetricNames {
  private MetricNames() {}

  /** A canonical name and its UCUM unit (null when unknown or dimensionless without a declared unit). */
  public record Canonical(String name, String unit) {}

  /** Prometheus unit suffixes, longest first, and the UCUM unit each one stands for. */
  private static final List<Map.Entry<String, String>> SUFFIX_UNITS = List.of(
      Map.entry("_milliseconds", "ms"), Map.entry("_microseconds", "us"), Map.entry("_nanoseconds", "ns"),
      Map.entry("_seconds", "s"), Map.entry("_bytes", "By"), Map.entry("_ratio", "1"),
      Map.entry("_percent", "%"), Map.entry("_celsius", "Cel"), Map.entry("_hertz", "Hz"),
      Map.entry("_joules", "J"), Map.entry("_volts", "V"), Map.entry("_amperes", "A"),
      Map.entry("_watts", "W"), Map.entry("_meters", "m"), Map.entry("_grams", "g"));

  private static final Map<String, String> UNIT_WORDS = new LinkedHashMap<>();

  static {
    for (String s : List.of("s", "sec", "secs", "second", "seconds")) {
      UNIT_WORDS.put(s, "s");
    }
    for (String s : List.of("ms", "msec", "millis", "millisecond", "milliseconds")) {
      UNIT_WORDS.put(s, "ms");
    }
    for (String s : List.of("us", "µs", "usec", "micros", "microsecond", "microseconds")) {
      UNIT_WORDS.put(s, "us");
    }
    for (String s : List.of("ns", "nsec", "nanos", "nanosecond", "nanoseconds")) {
      UNIT_WORDS.put(s, "ns");
    }
    for (String s : List.of("min", "minute", "minutes")) {
      UNIT_WORDS.put(s, "min");
    }
    for (String s : List.of("h", "hour", "hours")) {
      UNIT_WORDS.put(s, "h");
    }
    for (String s : List.of("by", "b", "byte", "bytes")) {
      UNIT_WORDS.put(s, "By");
    }
    for (String s : List.of("kb", "kby", "kilobyte", "kilobytes")) {
      UNIT_WORDS.put(s, "kBy");
    }
    for (String s : List.of("kib", "kiby", "kibibyte", "kibibytes")) {
      UNIT_WORDS.put(s, "KiBy");
    }
    for (String s : List.of("mb", "mby", "megabyte", "megabytes")) {
      UNIT_WORDS.put(s, "MBy");
    }
    for (String s : List.of("mib", "miby", "mebibyte", "mebibytes")) {
      UNIT_WORDS.put(s, "MiBy");
    }
    for (String s : List.of("gb", "gby", "gigabyte", "gigabytes")) {
      UNIT_WORDS.put(s, "GBy");
    }
    for (String s : List.of("gib", "giby", "gibibyte", "gibibytes")) {
      UNIT_WORDS.put(s, "GiBy");
    }
    for (String s : List.of("bit", "bits")) {
      UNIT_WORDS.put(s, "bit");
    }
    for (String s : List.of("%", "percent", "pct")) {
      UNIT_WORDS.put(s, "%");
    }
    for (String s : List.of("1", "ratio", "fraction")) {
      UNIT_WORDS.put(s, "1");
    }
    for (String s : List.of("cel", "celsius", "degc")) {
      UNIT_WORDS.put(s, "Cel");
    }
    for (String s : List.of("hz", "hertz")) {
      UNIT_WORDS.put(s, "Hz");
    }
    UNIT_WORDS.put("bytes/s", "By/s");
    UNIT_WORDS.put("bytes/second", "By/s");
    UNIT_WORDS.put("bps", "bit/s");
  }

  /** Canonical name and unit of a metric as a source named it; {@code rawUnit} may be null or empty. */
  public static Canonical canonical(String rawName, String rawUnit) {
    String unit = unit(rawUnit);
    String name = rawName == null ? "" : rawName.trim();
    if (name.indexOf('.') < 0) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.endsWith("_total")) {
        name = name.substring(0, name.length() - "_total".length());
        lower = lower.substring(0, lower.length() - "_total".length());
      }
      for (Map.Entry<String, String> suffix : SUFFIX_UNITS) {
        if (lower.endsWith(suffix.getKey()) && lower.length() > suffix.getKey().length()) {
          name = name.substring(0, name.length() - suffix.getKey().length());
          if (unit == null) {
            unit = suffix.getValue();
          }
          break;
        }
      }
    }
    return new Canonical(name(name), unit);
  }

  /**
   * The canonical form of a name: lower-case, dotted. Names without dots have their separators
   * ({@code _ - : / space}) turned into dots; runs of dots collapse and none lead or trail.
   */
  public static String name(String raw) {
    if (raw == null) {
      return "";
    }
    String lower = raw.trim().toLowerCase(Locale.ROOT);
    boolean dotted = lower.indexOf('.') >= 0;
    StringBuilder out = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean separator = c == '.' || c == '-' || c == ':' || c == '/' || c == ' ' || (!dotted && c == '_');
      if (separator) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '.') {
          out.append('.');
        }
      } else {
        out.append(c);
      }
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == '.') {
      end--;
    }
    return out.substring(0, end);
  }

  /**
   * The UCUM form of a unit: common words and abbreviations map to their UCUM code ({@code seconds}
   * → {@code s}, {@code bytes} → {@code By}, {@code percent} → {@code %}); UCUM annotations such as
   * {@code {requests}} and unknown units pass unchanged; null or blank gives null.
   */
  public static String unit(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String trimmed = raw.trim();
    String known = UNIT_WORDS.get(trimmed.toLowerCase(Locale.ROOT));
    if (known != null) {
      // "B" is a UCUM bel; a source writing B means bytes far more often than bels.
      return known;
    }
    return trimmed;
  }

  /** The unit of the per-second rate of a counter in {@code unit}: {@code By} → {@code By/s}, none → {@code 1/s}. */
  public static String rateUnit(String unit) {
    if (unit == null || unit.equals("1")) {
      return "1/s";
    }
    return unit + "/s";
  }

  /** Suffix of a quantile's metric: 0.5 → p50, 0.99 → p99, 0.999 → p999, 0.25 → p25. */
  public static String quantileSuffix(double q) {
    String digits = java.math.BigDecimal.valueOf(q).movePointRight(2).stripTrailingZeros().toPlainString().replace(".", "");
    return "p" + digits;
  }
}
