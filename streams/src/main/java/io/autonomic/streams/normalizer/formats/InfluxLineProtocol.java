package io.autonomic.streams.normalizer.formats;

import io.autonomic.ingest.normalize.MalformedTelemetryException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser of InfluxDB line protocol as Telegraf's Kafka output writes it ({@code data_format = "influx"}): one or
 * more lines {@code measurement[,tag=value...] field=value[,field=value...] [timestamp]}, with backslash escapes
 * of commas, spaces and equals signs, string fields in double quotes, integer ({@code 1i}), unsigned
 * ({@code 1u}), float and boolean fields, and an optional timestamp in nanoseconds. Blank lines and {@code #}
 * comments are skipped.
 *
 * <p>Hand-written: the only maintained Java parser is inside the InfluxDB client, which would pull its HTTP
 * stack in for a grammar of a hundred lines; and this one reports the line and column of every error.
 */
public final class InfluxLineProtocol {
  private InfluxLineProtocol() {}

  /** One parsed line. Numeric and boolean fields are in {@code fields} (booleans as 1 and 0). */
  public record Line(String measurement, Map<String, String> tags, Map<String, Double> fields,
      Map<String, String> stringFields, Long timestampNanos) {}

  /** Parses every line of a record; the first bad line rejects the whole record (all or nothing). */
  public static List<Line> parse(byte[] payload) throws MalformedTelemetryException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedTelemetryException("invalid line protocol: not UTF-8 text");
    }
    List<Line> lines = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      try {
        lines.add(new LineParser(line).parse());
      } catch (ParseError e) {
        throw new MalformedTelemetryException("invalid line protocol: line " + (i + 1) + " column " + (e.column + 1)
            + ": " + e.getMessage() + " in '" + abbreviate(line) + "'");
      }
    }
    if (lines.isEmpty()) {
      throw new MalformedTelemetryException("invalid line protocol: no lines in the record");
    }
    return lines;
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }

  private static final class ParseError extends Exception {
    private static final long serialVersionUID = 1L;
    final int column;

    ParseError(String message, int column) {
      super(message, null, false, false);
      this.column = column;
    }
  }

  private static final class LineParser {
    private final String s;
    private int pos;

    LineParser(String s) {
      this.s = s;
    }

    Line parse() throws ParseError {
      String measurement = token(",  ", false);
      if (measurement.isEmpty()) {
        throw new ParseError("missing measurement", pos);
      }
      Map<String, String> tags = new LinkedHashMap<>();
      while (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        String key = token("= ,", false);
        if (key.isEmpty()) {
          throw new ParseError("empty tag key", pos);
        }
        expect('=', "tag '" + key + "' has no '='");
        String value = token(", ", false);
        if (value.isEmpty()) {
          throw new ParseError("tag '" + key + "' has an empty value", pos);
        }
        tags.put(key, value);
      }
      if (pos >= s.length() || s.charAt(pos) != ' ') {
        throw new ParseError("missing fields after measurement '" + measurement + "'", pos);
      }
      skipSpaces();
      Map<String, Double> fields = new LinkedHashMap<>();
      Map<String, String> strings = new LinkedHashMap<>();
      do {
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
        }
        String key = token("= ,", false);
        if (key.isEmpty()) {
          throw new ParseError("empty field key", pos);
        }
        expect('=', "field '" + key + "' has no '='");
        fieldValue(key, fields, strings);
      } while (pos < s.length() && s.charAt(pos) == ',');
      Long timestamp = null;
      if (pos < s.length()) {
        if (s.charAt(pos) != ' ') {
          throw new ParseError("unexpected '" + s.charAt(pos) + "' after the fields", pos);
        }
        skipSpaces();
        if (pos < s.length()) {
          int start = pos;
          String ts = s.substring(pos).strip();
          try {
            timestamp = Long.parseLong(ts);
          } catch (NumberFormatException e) {
            throw new ParseError("timestamp '" + ts + "' is not an integer (nanoseconds)", start);
          }
          pos = s.length();
        }
      }
      return new Line(measurement, tags, fields, strings, timestamp);
    }

    private void fieldValue(String key, Map<String, Double> fields, Map<String, String> strings) throws ParseError {
      if (pos >= s.length()) {
        throw new ParseError("field '" + key + "' has no value", pos);
      }
      if (s.charAt(pos) == '"') {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
          if (pos >= s.length()) {
            throw new ParseError("unterminated string in field '" + key + "'", start);
          }
          char c = s.charAt(pos++);
          if (c == '\\' && pos < s.length() && (s.charAt(pos) == '"' || s.charAt(pos) == '\\')) {
            sb.append(s.charAt(pos++));
          } else if (c == '"') {
            break;
          } else {
            sb.append(c);
          }
        }
        strings.put(key, sb.toString());
        return;
      }
      int start = pos;
      while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ' ') {
        pos++;
      }
      String raw = s.substring(start, pos);
      switch (raw) {
        case "t", "T", "true", "True", "TRUE" -> fields.put(key, 1.0);
        case "f", "F", "false", "False", "FALSE" -> fields.put(key, 0.0);
        default -> fields.put(key, number(key, raw, start));
      }
    }

    private double number(String key, String raw, int at) throws ParseError {
      if (raw.isEmpty()) {
        throw new ParseError("field '" + key + "' has an empty value", at);
      }
      char last = raw.charAt(raw.length() - 1);
      try {
        if (last == 'i') {
          return Long.parseLong(raw.substring(0, raw.length() - 1));
        }
        if (last == 'u') {
          String digits = raw.substring(0, raw.length() - 1);
          if (digits.startsWith("-")) {
            throw new NumberFormatException();
          }
          return Double.parseDouble(Long.toUnsignedString(Long.parseUnsignedLong(digits)));
        }
        for (int i = 0; i < raw.length(); i++) {
          char c = raw.charAt(i);
          if (!(Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
            throw new NumberFormatException();
          }
        }
        return Double.parseDouble(raw);
      } catch (NumberFormatException e) {
        throw new ParseError("field '" + key + "' value '" + raw + "' is not a number, boolean or quoted string", at);
      }
    }

    /** Reads up to an unescaped stop character; backslash escapes the next character. */
    private String token(String stops, boolean allowEmpty) {
      StringBuilder sb = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '\\' && pos + 1 < s.length()) {
          sb.append(s.charAt(pos + 1));
          pos += 2;
          continue;
        }
        if (stops.indexOf(c) >= 0) {
          break;
        }
        sb.append(c);
        pos++;
      }
      return sb.toString();
    }

    private void expect(char c, String problem) throws ParseError {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw new ParseError(problem, pos);
      }
      pos++;
    }

    private void skipSpaces() {
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
    }
  }
}
