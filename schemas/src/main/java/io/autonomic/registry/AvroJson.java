package io.autonomic.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro data as plain JSON for people and JSON-lines tools: records and maps as objects, arrays as arrays, unions
 * unwrapped to their value (no {@code {"string": ...}} wrapper), enums as their symbol, bytes and fixed as
 * base64, decimals as numbers, timestamps, dates and times as ISO-8601 strings, NaN and infinities as strings.
 * Accepts both generated and generic records, with or without logical-type conversions applied.
 */
public final class AvroJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private AvroJson() {}

  /** The record (or any Avro container) as a JSON tree. */
  public static JsonNode toJson(GenericContainer datum) {
    return toJson(datum, datum.getSchema());
  }

  /** A datum of {@code schema} as a JSON tree. */
  public static JsonNode toJson(Object datum, Schema schema) {
    if (datum == null) {
      return NODES.nullNode();
    }
    LogicalType logical = schema.getLogicalType();
    switch (schema.getType()) {
      case RECORD:
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
          Object value = datum instanceof GenericRecord ? ((GenericRecord) datum).get(field.name())
              : ((IndexedRecord) datum).get(field.pos());
          object.set(field.name(), toJson(value, field.schema()));
        }
        return object;
      case UNION:
        return toJson(datum, branch(datum, schema));
      case ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (Object item : (Collection<?>) datum) {
          array.add(toJson(item, schema.getElementType()));
        }
        return array;
      case MAP:
        ObjectNode map = NODES.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
          map.set(String.valueOf(e.getKey()), toJson(e.getValue(), schema.getValueType()));
        }
        return map;
      case ENUM:
      case STRING:
        return NODES.textNode(datum.toString());
      case BYTES:
      case FIXED:
        if (logical instanceof LogicalTypes.Decimal) {
          return NODES.numberNode(decimal(datum, schema, (LogicalTypes.Decimal) logical));
        }
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes(datum)));
      case INT:
        if (logical instanceof LogicalTypes.Date) {
          return NODES.textNode(datum instanceof LocalDate ? datum.toString()
              : LocalDate.ofEpochDay(((Number) datum).intValue()).toString());
        }
        if (logical instanceof LogicalTypes.TimeMillis) {
          return NODES.textNode(datum instanceof LocalTime ? datum.toString()
              : LocalTime.ofNanoOfDay(((Number) datum).longValue() * 1_000_000L).toString());
        }
        return NODES.numberNode(((Number) datum).intValue());
      case LONG:
        return longNode(datum, logical);
      case FLOAT:
        float f = ((Number) datum).floatValue();
        return Float.isFinite(f) ? NODES.numberNode(f) : NODES.textNode(Float.toString(f));
      case DOUBLE:
        double d = ((Number) datum).doubleValue();
        return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(Double.toString(d));
      case BOOLEAN:
        return NODES.booleanNode((Boolean) datum);
      case NULL:
      default:
        return NODES.nullNode();
    }
  }

  /** The record as one line of JSON. */
  public static String toJsonLine(GenericContainer datum) {
    try {
      return JSON.writeValueAsString(toJson(datum));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + datum.getSchema().getFullName(), e);
    }
  }

  private static JsonNode longNode(Object datum, LogicalType logical) {
    if (datum instanceof Instant || datum instanceof LocalDateTime || datum instanceof LocalTime) {
      return NODES.textNode(datum.toString());
    }
    long v = ((Number) datum).longValue();
    if (logical instanceof LogicalTypes.TimestampMillis) {
      return NODES.textNode(Instant.ofEpochMilli(v).toString());
    }
    if (logical instanceof LogicalTypes.TimestampMicros) {
      return NODES.textNode(Instant.EPOCH.plus(v, ChronoUnit.MICROS).toString());
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis) {
      return NODES.textNode(LocalDateTime.ofEpochSecond(Math.floorDiv(v, 1000L),
          (int) Math.floorMod(v, 1000L) * 1_000_000, ZoneOffset.UTC).toString());
    }
    if (logical instanceof LogicalTypes.LocalTimestampMicros) {
      return NODES.textNode(LocalDateTime.ofEpochSecond(Math.floorDiv(v, 1_000_000L),
          (int) Math.floorMod(v, 1_000_000L) * 1_000, ZoneOffset.UTC).toString());
    }
    if (logical instanceof LogicalTypes.TimeMicros) {
      return NODES.textNode(LocalTime.ofNanoOfDay(v * 1_000L).toString());
    }
    return NODES.numberNode(v);
  }

  private static Schema branch(Object datum, Schema union) {
    try {
      return union.getTypes().get(AvroData.GENERIC.resolveUnion(union, datum));
    } catch (AvroRuntimeException e) {
      // A value the generic model cannot place (e.g. a converted type it has no conversion for): take the first
      // non-null branch, which is what nullable fields ["null", T] mean.
      return union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(union);
    }
  }

  private static BigDecimal decimal(Object datum, Schema schema, LogicalTypes.Decimal logical) {
    if (datum instanceof BigDecimal) {
      return (BigDecimal) datum;
    }
    if (datum instanceof GenericFixed) {
      return DECIMALS.fromFixed((GenericFixed) datum, schema, logical);
    }
    return DECIMALS.fromBytes(ByteBuffer.wrap(bytes(datum)), schema, logical);
  }

  private static byte[] bytes(Object datum) {
    if (datum instanceof GenericFixed) {
      return ((GenericFixed) datum).bytes();
    }
    if (datum instanceof ByteBuffer) {
      ByteBuffer copy = ((ByteBuffer) datum).duplicate();
      byte[] b = new byte[copy.remaining()];
      copy.get(b);
      return b;
    }
    return (byte[]) datum;
  }
}
