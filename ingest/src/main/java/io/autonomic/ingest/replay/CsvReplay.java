package io.autonomic.ingest.replay;

import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.delivery.TelemetrySink;
import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.ingest.normalize.MetricNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Publishes a {@code timestamp,value} CSV series (such as the NAB corpus files) as MetricPoints of one
 * entity and metric, with the series' own event times, optionally shifted so that the first point is
 * at a given instant, and paced at a multiple of real time or as fast as possible.
 *
 * <p>Timestamps may be ISO-8601 (with or without zone; UTC assumed), {@code yyyy-MM-dd HH:mm:ss} (NAB),
 * or epoch seconds / milliseconds. A header line is skipped; a malformed line fails the replay with its
 * line number (a replay is a deliberate act, so a broken file should be fixed, not half-published).
 */
public final class CsvReplay {
  public static final String COLLECTOR = "replay";

  /** Waits; tests pass one that only records. */
  public interface Sleeper {
    void sleepMillis(long millis) throws InterruptedException;
  }

  /** How to pace: {@code speed} ≤ 0 means as fast as possible. */
  public record Settings(String entity, String metric, double speed, Instant shiftFirstTo) {}

  private final TelemetrySink sink;
  private final Sleeper sleeper;

  public CsvReplay(TelemetrySink sink, Sleeper sleeper) {
    this.sink = sink;
    this.sleeper = sleeper;
  }

  /** Parses {@code 60x}, {@code 60}, {@code 1.5x}. */
  public static double parseSpeed(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith("x")) {
      v = v.substring(0, v.length() - 1);
    }
    double speed = Double.parseDouble(v);
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive, got '" + s + "'");
    }
    return speed;
  }

  /** Replays the file; returns the number of points published. */
  public long replay(Path file, Settings settings) throws IOException, MalformedTelemetryException,
      InterruptedException {
    String metric = MetricNames.name(settings.metric());
    long count = 0;
    long firstEventTime = Long.MIN_VALUE;
    long shift = 0;
    long startNanos = System.nanoTime();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        if (f.length < 2) {
          throw new MalformedTelemetryException(file + ":" + lineNo + ": expected timestamp,value, got '" + line + "'");
        }
        Long t = time(f[0].trim().replace("\"", ""));
        double value;
        try {
          value = Double.parseDouble(f[1].trim());
        } catch (NumberFormatException e) {
          value = Double.NaN;
        }
        if (t == null || Double.isNaN(value)) {
          if (count == 0 && lineNo == 1) {
            continue; // the header
          }
          throw new MalformedTelemetryException(file + ":" + lineNo + ": cannot read timestamp,value from '" + line + "'");
        }
        if (firstEventTime == Long.MIN_VALUE) {
          firstEventTime = t;
          shift = settings.shiftFirstTo() == null ? 0 : settings.shiftFirstTo().toEpochMilli() - t;
        }
        if (settings.speed() > 0) {
          long dueNanos = startNanos + (long) ((t - firstEventTime) * 1_000_000L / settings.speed());
          long waitMillis = (dueNanos - System.nanoTime()) / 1_000_000L;
          if (waitMillis > 0) {
            sleeper.sleepMillis(waitMillis);
          }
        }
        sink.metric(COLLECTOR, MetricPoint.newBuilder()
            .setEntityId(settings.entity())
            .setMetric(metric)
            .setValue(value)
            .setEventTime(Instant.ofEpochMilli(t + shift))
            .setTags(Map.of("replay.file", file.getFileName().toString()))
            .setSource("replay:" + file.getFileName())
            .build());
        count++;
      }
    }
    return count;
  }

  static Long time(String s) {
    if (s.matches("\\d{9,10}(\\.\\d+)?")) {
      return Math.round(Double.parseDouble(s) * 1000);
    }
    if (s.matches("\\d{12,13}")) {
      return Long.parseLong(s);
    }
    String iso = s.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      // no zone
    }
    try {
      return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
