package io.autonomic.ingest.prometheus;

import io.autonomic.ingest.normalize.MalformedTelemetryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parser of the Prometheus text exposition format 0.0.4 and of OpenMetrics 1.0 text.
 *
 * <p>Hand-written because no maintained Java parser is served here: the official client
 * (io.prometheus:prometheus-metrics-exposition-textformats) only writes these formats.
 *
 * <p>Handles {@code # HELP}, {@code # TYPE}, {@code # UNIT}, {@code # EOF}; label value escapes
 * ({@code \\ \" \n}); {@code NaN}, {@code +Inf}, {@code -Inf}; timestamps (milliseconds in 0.0.4,
 * seconds with a fraction in OpenMetrics); exemplars (skipped); quoted UTF-8 metric names
 * ({@code {"my.metric",a="b"}}); grouping of {@code _bucket}, {@code _count}, {@code _sum},
 * {@code _created}, {@code _total}, {@code _gcount}, {@code _gsum} and {@code _info} samples under their
 * family. A malformed line fails the whole exposition with its line number, as Prometheus does.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /** Metric types of both formats; {@code UNKNOWN} is 0.0.4's untyped. */
  public enum Type { COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET, UNKNOWN }

  /** One sample line. {@code timestampMillis} is null when the line has none. */
  public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {}

  /** A metric family: its samples in exposition order. */
  public record Family(String name, Type type, String help, String unit, List<Sample> samples) {}

  private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_created", "_total",
      "_gcount", "_gsum", "_info");

  /** Parses 0.0.4 text (timestamps in ms) unless {@code openMetrics} (timestamps in seconds, # EOF). */
  public static List<Family> parse(String text, boolean openMetrics) throws MalformedTelemetryException {
    Parser p = new Parser(openMetrics);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      try {
        if (p.line(line)) {
          break;
        }
      } catch (RuntimeException e) {
        throw new MalformedTelemetryException("invalid Prometheus text at line " + (i + 1) + ": " + e.getMessage()
            + " in '" + abbreviate(line) + "'", e);
      }
    }
    return p.families();
  }

  /** Whether a Content-Type names OpenMetrics. */
  public static boolean isOpenMetrics(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text");
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  private static final class Parser {
    private final boolean openMetrics;
    private final Map<String, FamilyBuilder> families = new LinkedHashMap<>();
    private FamilyBuilder current;

    Parser(boolean openMetrics) {
      this.openMetrics = openMetrics;
    }

    private static final class FamilyBuilder {
      final String name;
      Type type = Type.UNKNOWN;
      String help;
      String unit;
      final List<Sample> samples = new ArrayList<>();

      FamilyBuilder(String name) {
        this.name = name;
      }
    }

    List<Family> families() {
      List<Family> out = new ArrayList<>();
      families.values().forEach(f -> out.add(new Family(f.name, f.type, f.help, f.unit, List.copyOf(f.samples))));
      return out;
    }

    private FamilyBuilder family(String name) {
      current = families.computeIfAbsent(name, FamilyBuilder::new);
      return current;
    }

    /** Returns true at {@code # EOF}. */
    boolean line(String line) {
      if (line.isBlank()) {
        return false;
      }
      if (line.startsWith("#")) {
        return comment(line);
      }
      sample(line);
      return false;
    }

    private boolean comment(String line) {
      String rest = line.substring(1).stripLeading();
      if (rest.equals("EOF")) {
        return true;
      }
      String[] parts = rest.split("[ \t]+", 3);
      if (parts.length < 2) {
        return false; // a plain comment
      }
      switch (parts[0]) {
        case "HELP" -> family(unquoteName(parts[1])).help = parts.length > 2 ? unescapeHelp(parts[2]) : "";
        case "TYPE" -> {
          if (parts.length < 3) {
            throw new IllegalArgumentException("TYPE without a type");
          }
          String t = parts[2].trim().toUpperCase(Locale.ROOT);
          Type type = t.equals("UNTYPED") ? Type.UNKNOWN : parseType(t);
          family(unquoteName(parts[1])).type = type;
        }
        case "UNIT" -> family(unquoteName(parts[1])).unit = parts.length > 2 ? parts[2].trim() : "";
        default -> {
          // any other comment is ignored, as both formats allow
        }
      }
      return false;
    }

    private static Type parseType(String t) {
      try {
        return Type.valueOf(t);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown metric type '" + t.toLowerCase(Locale.ROOT) + "'");
      }
    }

    private static String unquoteName(String s) {
      if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
        return s.substring(1, s.length() - 1);
      }
      return s;
    }

    private void sample(String line) {
      int i = 0;
      int n = line.length();
      String name = null;
      Map<String, String> labels = new LinkedHashMap<>();
      if (line.charAt(0) != '{') {
        while (i < n && isNameChar(line.charAt(i), i == 0)) {
          i++;
        }
        if (i == 0) {
          throw new IllegalArgumentException("expected a metric name");
        }
        name = line.substring(0, i);
        int afterSpaces = skipSpaces(line, i);
        if (afterSpaces < n && line.charAt(afterSpaces) == '{') {
          i = afterSpaces;
        }
      }
      if (i < n && line.charAt(i) == '{') {
        i++;
        while (true) {
          i = skipSpaces(line, i);
          if (i >= n) {
            throw new IllegalArgumentException("unterminated label set");
          }
          if (line.charAt(i) == '}') {
            i++;
            break;
          }
          String labelName;
          if (line.charAt(i) == '"') {
            int[] end = new int[1];
            String quoted = quoted(line, i, end);
            i = skipSpaces(line, end[0]);
            if (i < n && (line.charAt(i) == ',' || line.charAt(i) == '}')) {
              if (name != null) {
                throw new IllegalArgumentException("two metric names");
              }
              name = quoted; // {"metric.name", ...}
              if (line.charAt(i) == ',') {
                i++;
              }
              continue;
            }
            labelName = quoted;
          } else {
            int start = i;
            while (i < n && isNameChar(line.charAt(i), i == start) && line.charAt(i) != ':') {
              i++;
            }
            if (i == start) {
              throw new IllegalArgumentException("expected a label name at column " + (i + 1));
            }
            labelName = line.substring(start, i);
            i = skipSpaces(line, i);
          }
          if (i >= n || line.charAt(i) != '=') {
            throw new IllegalArgumentException("expected '=' after label " + labelName);
          }
          i = skipSpaces(line, i + 1);
          if (i >= n || line.charAt(i) != '"') {
            throw new IllegalArgumentException("expected a quoted value for label " + labelName);
          }
          int[] end = new int[1];
          String value = quoted(line, i, end);
          if (labels.put(labelName, value) != null) {
            throw new IllegalArgumentException("duplicate label " + labelName);
          }
          i = skipSpaces(line, end[0]);
          if (i < n && line.charAt(i) == ',') {
            i++;
          } else if (i >= n || line.charAt(i) != '}') {
            throw new IllegalArgumentException("expected ',' or '}' after label " + labelName);
          }
        }
      }
      if (name == null) {
        throw new IllegalArgumentException("expected a metric name");
      }
      if (i >= n || (line.charAt(i) != ' ' && line.charAt(i) != '\t')) {
        throw new IllegalArgumentException("expected a value after " + name);
      }
      String rest = line.substring(i).trim();
      int exemplar = rest.indexOf(" # ");
      if (exemplar >= 0) {
        rest = rest.substring(0, exemplar).trim();
      } else if (rest.indexOf('#') >= 0 && openMetrics) {
        rest = rest.substring(0, rest.indexOf('#')).trim();
      }
      String[] fields = rest.split("[ \t]+");
      if (fields.length > 2) {
        throw new IllegalArgumentException("unexpected text after the value and timestamp");
      }
      double value = parseValue(fields[0]);
      Long ts = fields.length == 2 ? parseTimestamp(fields[1]) : null;
      familyOf(name).samples.add(new Sample(name, labels, value, ts));
    }

    private FamilyBuilder familyOf(String sampleName) {
      if (current != null && (current.name.equals(sampleName) || belongs(current, sampleName))) {
        return current;
      }
      FamilyBuilder known = families.get(sampleName);
      if (known != null) {
        return family(sampleName);
      }
      for (String suffix : SUFFIXES) {
        if (sampleName.endsWith(suffix)) {
          FamilyBuilder f = families.get(sampleName.substring(0, sampleName.length() - suffix.length()));
          if (f != null && f.type != Type.UNKNOWN) {
            current = f;
            return f;
          }
        }
      }
      return family(sampleName);
    }

    private static boolean belongs(FamilyBuilder f, String sampleName) {
      if (!sampleName.startsWith(f.name)) {
        return false;
      }
      String suffix = sampleName.substring(f.name.length());
      return switch (f.type) {
        case COUNTER -> suffix.equals("_total") || suffix.equals("_created");
        case HISTOGRAM -> suffix.equals("_bucket") || suffix.equals("_count") || suffix.equals("_sum")
            || suffix.equals("_created");
        case GAUGEHISTOGRAM -> suffix.equals("_bucket") || suffix.equals("_gcount") || suffix.equals("_gsum");
        case SUMMARY -> suffix.equals("_count") || suffix.equals("_sum") || suffix.equals("_created");
        case INFO -> suffix.equals("_info");
        default -> false;
      };
    }

    private Long parseTimestamp(String s) {
      try {
        if (openMetrics) {
          return Math.round(Double.parseDouble(s) * 1000.0);
        }
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid timestamp '" + s + "'");
      }
    }

    private static int skipSpaces(String s, int i) {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
      return i;
    }

    private static boolean isNameChar(char c, boolean first) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
          || (!first && c >= '0' && c <= '9');
    }

    /** Reads a quoted string starting at {@code start} (the quote); {@code end[0]} is after the closing quote. */
    private static String quoted(String s, int start, int[] end) {
      StringBuilder sb = new StringBuilder();
      int i = start + 1;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '\\') {
          if (i + 1 >= s.length()) {
            break;
          }
          char e = s.charAt(i + 1);
          switch (e) {
            case '\\' -> sb.append('\\');
            case '"' -> sb.append('"');
            case 'n' -> sb.append('\n');
            default -> sb.append('\\').append(e); // 0.0.4 keeps unknown escapes as written
          }
          i += 2;
        } else if (c == '"') {
          end[0] = i + 1;
          return sb.toString();
        } else {
          sb.append(c);
          i++;
        }
      }
      throw new IllegalArgumentException("unterminated quoted string");
    }
  }

  /** A sample value: a float, NaN, +Inf, -Inf (also Inf, +inf ...). */
  public static double parseValue(String s) {
    String v = s.trim();
    switch (v.toLowerCase(Locale.ROOT)) {
      case "nan":
        return Double.NaN;
      case "+inf", "inf", "+infinity", "infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value '" + v + "'");
    }
  }

  static String unescapeHelp(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(i + 1);
        if (e == 'n') {
          sb.append('\n');
          i++;
          continue;
        }
        if (e == '\\') {
          sb.append('\\');
          i++;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
