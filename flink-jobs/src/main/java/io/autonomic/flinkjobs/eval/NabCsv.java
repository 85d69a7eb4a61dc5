package io.autonomic.flinkjobs.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes NAB-format CSVs ({@code timestamp,value} in, {@code timestamp,value,
 * anomaly_score} out). Hand-written: the format is two unquoted columns and rows must be kept
 * exactly, including rows a CSV library would reject (empty values, unparseable timestamps),
 * because the output has one row per input row, in input order.
 */
public final class NabCsv {

  /**
   * One input row. {@code timestampMillis} is {@code Long.MIN_VALUE} and {@code value} NaN when
   * the text does not parse; such rows are kept, scored 0 and counted.
   */
  public record Row(int index, String timestampText, long timestampMillis, String valueText,
      double value) {

    public boolean usable() {
      return timestampMillis != Long.MIN_VALUE && !Double.isNaN(value)
          && !Double.isInfinite(value);
    }
  }

  private NabCsv() {}

  /** Reads all data rows (the header line is skipped if its first field is not a timestamp). */
  public static List<Row> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Row> rows = new ArrayList<>(lines.size());
    boolean first = true;
    for (String line : lines) {
      if (first) {
        first = false;
        if (line.startsWith("timestamp") || line.startsWith("\"timestamp")) {
          continue;
        }
      }
      if (line.isBlank()) {
        continue;
      }
      rows.add(parse(rows.size(), line));
    }
    return rows;
  }

  static Row parse(int index, String line) {
    int comma = line.indexOf(',');
    String ts = comma < 0 ? line : line.substring(0, comma);
    String val = comma < 0 ? "" : line.substring(comma + 1);
    long millis;
    try {
      millis = NabTimestamps.parseMillis(unquote(ts));
    } catch (IllegalArgumentException e) {
      millis = Long.MIN_VALUE;
    }
    double value;
    String v = unquote(val).trim();
    try {
      value = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    return new Row(index, ts, millis, val, value);
  }

  private static String unquote(String s) {
    String t = s.trim();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  /** Writes {@code timestamp,value,anomaly_score}, one row per input row, in input order. */
  public static void write(Path file, List<Row> rows, double[] scores) throws IOException {
    if (rows.size() != scores.length) {
      throw new IllegalArgumentException(rows.size() + " rows but " + scores.length + " scores");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("timestamp,value,anomaly_score\n");
      for (int i = 0; i < scores.length; i++) {
        Row r = rows.get(i);
        w.write(r.timestampText());
        w.write(',');
        w.write(r.valueText());
        w.write(',');
        w.write(Double.toString(scores[i]));
        w.write('\n');
      }
    }
  }

  /** Reads the anomaly_score column of an output file written by {@link #write}. */
  public static double[] readScores(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    double[] out = new double[Math.max(0, lines.size() - 1)];
    int n = 0;
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      out[n++] = Double.parseDouble(line.substring(line.lastIndexOf(',') + 1).trim());
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
