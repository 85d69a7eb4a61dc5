package io.autonomic.flinkjobs.eval;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Parses NAB timestamps: data files use {@code 2014-04-01 00:00:00}, label files
 * {@code 2014-04-10 07:15:00.000000}; ISO {@code T} separators and a trailing {@code Z} are
 * accepted too. NAB timestamps carry no zone: they are read as UTC.
 */
public final class NabTimestamps {

  private static final DateTimeFormatter FORMAT =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();

  private NabTimestamps() {}

  /** Epoch milliseconds of a NAB timestamp; throws IllegalArgumentException naming the text. */
  public static long parseMillis(String text) {
    String s = text.trim().replace('T', ' ');
    if (s.endsWith("Z")) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      return LocalDateTime.parse(s, FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("unparseable timestamp '" + text + "'", e);
    }
  }
}
