package io.autonomic.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;

/** Avro helpers shared by the serde. */
final class AvroData {
  /**
   * Generic data model with the standard logical-type conversions, so GenericRecords read with it hold
   * Instant, LocalDate, BigDecimal... like the generated classes do, and either form can be written.
   */
  static final GenericData GENERIC = new GenericData();

  static {
    GENERIC.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    GENERIC.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    GENERIC.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
    GENERIC.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    GENERIC.addLogicalTypeConversion(new TimeConversions.DateConversion());
    GENERIC.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
    GENERIC.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
    GENERIC.addLogicalTypeConversion(new Conversions.DecimalConversion());
    GENERIC.addLogicalTypeConversion(new Conversions.UUIDConversion());
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JAVA_STRING_PROP = "avro.java.string";

  private AvroData() {}

  /**
   * {@code schema} without the {@code avro.java.string} hints that generated classes add. They only steer Java
   * decoding, so the registry gets the contract as written in the .avsc file, and a producer in any language
   * registering the same contract gets the same id.
   */
  static Schema contractForm(Schema schema) {
    if (!schema.toString().contains(JAVA_STRING_PROP)) {
      return schema;
    }
    try {
      JsonNode tree = JSON.readTree(schema.toString());
      strip(tree);
      return new Schema.Parser().parse(tree.toString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot re-read schema " + schema.getFullName(), e);
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode) {
      ((ObjectNode) node).remove(JAVA_STRING_PROP);
    }
    node.forEach(AvroData::strip);
  }
}
