package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.types.BytesCache;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the Avro binary encoding of a {@link MetricPoint} written with exactly the generated class's schema
 * ({@link #SCHEMA}), straight from the record's bytes.
 *
 * <p>Written by hand because it is the detector's hot path and Avro has no fast reader for this class: the
 * generated code has no custom coders (Avro generates none for records with logical types, and eventTime is a
 * timestamp-millis), so {@code SpecificDatumReader} resolves the schema on every record, looks up the string class
 * of every string and allocates a new decoder, which held the whole source at ~0.3M points/s
 * (docs/benchmarks.md). Any other writer schema (older or newer versions) goes through the registry-aware
 * {@code AvroDeserializer}, which resolves it.
 *
 * <p>Entity ids, metric names and tags repeat from point to point, so strings are interned by their UTF-8 bytes
 * ({@link BytesCache}) and a repeated tags map is one shared, unmodifiable map. Not thread-safe: one per source
 * reader.
 */
final class MetricPointReader {
  /** The schema this reader decodes. */
  static final Schema SCHEMA = MetricPoint.getClassSchema();
  private static final String SCHEMA_FORM = SchemaNormalization.toParsingForm(SCHEMA);

  private static final int CACHE_SLOTS = 4096; // distinct strings (or tag maps) of one source split

  private final BytesCache<String> strings = new BytesCache<>(CACHE_SLOTS);
  private final BytesCache<Map<String, String>> tagMaps = new BytesCache<>(CACHE_SLOTS);

  private byte[] buf;
  private int pos;
  private int end;

  /** Thrown for bytes that are not a MetricPoint in {@link #SCHEMA}; the message says what and where. */
  static final class MalformedPointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedPointException(String message) {
      super(message);
    }
  }

  /**
   * Whether data written with {@code writer} is laid out exactly as {@link #SCHEMA}'s: the same Parsing Canonical
   * Form (Avro's definition of identical binary encoding; docs, defaults and properties such as
   * {@code avro.java.string}, which a registry may drop, do not count) and eventTime in milliseconds.
   */
  static boolean readsDataWrittenWith(Schema writer) {
    if (writer.getType() != Schema.Type.RECORD || !SCHEMA_FORM.equals(SchemaNormalization.toParsingForm(writer))) {
      return false;
    }
    return Objects.equals(writer.getField("eventTime").schema().getLogicalType(), LogicalTypes.timestampMillis());
  }

  /** Decodes {@code length} bytes of {@code data} from {@code offset} (the Avro body, after any framing). */
  MetricPoint read(byte[] data, int offset, int length) {
    buf = data;
    pos = offset;
    end = offset + length;
    MetricPoint p = new MetricPoint();
    p.setEntityId(string("entityId"));
    p.setMetric(string("metric"));
    p.setValue(readDouble("value"));
    p.setUnit(optionalString("unit"));
    p.setEventTime(Instant.ofEpochMilli(readLong("eventTime")));
    p.setEntityKind(optionalString("entityKind"));
    p.setTags(tags());
    p.setSource(optionalString("source"));
    buf = null;
    return p;
  }

  /**
   * The tags map, shared with earlier points whose map had the same bytes: a series sends the same tags with every
   * point. Shared maps are unmodifiable, so a change to one point's tags fails instead of changing others.
   */
  private Map<String, String> tags() {
    int start = pos;
    skipTags();
    int len = pos - start;
    Map<String, String> tags = tagMaps.get(buf, start, len);
    if (tags == null) {
      pos = start;
      tags = Collections.unmodifiableMap(readTags());
      tagMaps.put(buf, start, len, tags);
    }
    return tags;
  }

  /** Moves past the tags map without decoding its strings. */
  private void skipTags() {
    for (long count = readLong("tags"); count != 0; count = readLong("tags")) {
      if (count < 0) {
        count = -count;
        readLong("tags");
      }
      for (long i = 0; i < 2 * count; i++) {
        long n = readLong("tags entry");
        if (n < 0 || n > end - pos) {
          throw malformed("a tags entry claims " + n + " bytes of text but " + (end - pos) + " remain");
        }
        pos += (int) n;
      }
    }
  }

  private Map<String, String> readTags() {
    long count = readLong("tags");
    Map<String, String> tags = new HashMap<>(count > 0 && count < 64 ? (int) count * 2 : 4);
    while (count != 0) {
      if (count < 0) { // a block with its size in bytes (written by buffered encoders); the size is not needed
        count = -count;
        readLong("tags");
      }
      for (long i = 0; i < count; i++) {
        String key = string("tags key");
        tags.put(key, string("tags value"));
      }
      count = readLong("tags");
    }
    return tags;
  }

  private String optionalString(String field) {
    long branch = readLong(field);
    if (branch == 0) {
      return null;
    }
    if (branch != 1) {
      throw malformed(field + " has union branch " + branch + " (the schema has 0 = null, 1 = string)");
    }
    return string(field);
  }

  private String string(String field) {
    long n = readLong(field);
    if (n < 0 || n > end - pos) {
      throw malformed(field + " claims " + n + " bytes of text but " + (end - pos) + " remain");
    }
    int len = (int) n;
    int start = pos;
    pos += len;
    String s = strings.get(buf, start, len);
    if (s == null) {
      s = new String(buf, start, len, StandardCharsets.UTF_8);
      strings.put(buf, start, len, s);
    }
    return s;
  }

  private double readDouble(String field) {
    if (end - pos < 8) {
      throw malformed(field + " needs 8 bytes but " + (end - pos) + " remain");
    }
    long bits = (buf[pos] & 0xffL) | (buf[pos + 1] & 0xffL) << 8 | (buf[pos + 2] & 0xffL) << 16
        | (buf[pos + 3] & 0xffL) << 24 | (buf[pos + 4] & 0xffL) << 32 | (buf[pos + 5] & 0xffL) << 40
        | (buf[pos + 6] & 0xffL) << 48 | (buf[pos + 7] & 0xffL) << 56;
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  /** Avro's zig-zag variable-length long (ints are encoded the same way). */
  private long readLong(String field) {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw malformed("the data ends inside " + field);
      }
      byte b = buf[pos++];
      raw |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw malformed(field + " is not a valid variable-length integer (more than 10 bytes)");
  }

  private MalformedPointException malformed(String what) {
    return new MalformedPointException(what + " (at byte " + pos + ")");
  }
}
