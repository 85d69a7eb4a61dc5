package io.autonomic.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Severity;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
  private final FakeSchemaRegistry registry = new FakeSchemaRegistry();

  private static AnomalyEvent anomaly() {
    return AnomalyEvent.newBuilder().setEventId("e-1").setEntityId("checkout-7f9").setMetric(null)
        .setWindowStart(Instant.parse("2026-11-26T10:00:00Z")).setWindowEnd(Instant.parse("2026-11-26T10:01:00Z"))
        .setScore(0.97).setThreshold(0.9).setSeverity(Severity.HIGH).setDetector("lstm-autoencoder")
        .setModelVersions(Map.of("lstm/checkout", 3L))
        .setContributions(List.of(new FeatureContribution("latency.p99:mean", 840.0, 120.0, 0.8)))
        .setDetectedAt(Instant.parse("2026-11-26T10:01:02.500Z")).build();
  }

  @Test
  void shouldWriteTimestampsAsIsoStringsEnumsAsSymbolsAndUnionsUnwrapped() {
    JsonNode json = AvroJson.toJson(anomaly());

    assertThat(json.get("windowStart").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(json.get("detectedAt").asText()).isEqualTo("2026-11-26T10:01:02.500Z");
    assertThat(json.get("severity").asText()).isEqualTo("HIGH");
    assertThat(json.get("metric").isNull()).isTrue();
    assertThat(json.get("modelVersions").get("lstm/checkout").asLong()).isEqualTo(3L);
    JsonNode contribution = json.get("contributions").get(0);
    assertThat(contribution.get("expected").isNumber()).as("['null','double'] unwrapped").isTrue();
    assertThat(contribution.get("expected").asDouble()).isEqualTo(120.0);
  }

  @Test
  void shouldGiveTheSameJsonForGenericRecordsReadFromTheWire() {
    byte[] bytes = new AvroSerializer<>(registry).serialize("anomalies", anomaly());
    GenericRecord generic = (GenericRecord) new AvroDeserializer<>(registry).deserialize("anomalies", bytes);

    assertThat(AvroJson.toJson(generic)).isEqualTo(AvroJson.toJson(anomaly()));
  }

  @Test
  void shouldWriteBytesAsBase64() {
    DeadLetter letter = DeadLetter.newBuilder().setReason("bad line protocol").setSourceTopic("telemetry.raw.influx")
        .setSourcePartition(0).setSourceOffset(42).setValue(ByteBuffer.wrap("cpu x".getBytes(StandardCharsets.UTF_8)))
        .setFailedAt(Instant.EPOCH).build();

    JsonNode json = AvroJson.toJson(letter);

    assertThat(json.get("value").asText()).isEqualTo("Y3B1IHg=");
    assertThat(json.get("key").isNull()).isTrue();
    assertThat(letter.getValue().remaining()).as("the buffer is not consumed").isEqualTo(5);
  }

  @Test
  void shouldHandleRawLongTimestampsDecimalsUtf8AndNonFiniteDoubles() {
    Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
        + "{\"name\":\"t\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
        + "{\"name\":\"d\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":6,\"scale\":2}},"
        + "{\"name\":\"day\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
        + "{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"x\",\"type\":\"double\"}]}");
    GenericRecord record = new GenericData.Record(schema);
    record.put("t", 1_000L);
    record.put("d", ByteBuffer.wrap(new BigDecimal("12.34").unscaledValue().toByteArray()));
    record.put("day", 1);
    record.put("s", new Utf8("hé"));
    record.put("x", Double.NaN);

    String line = AvroJson.toJsonLine(record);

    assertThat(line).isEqualTo("{\"t\":\"1970-01-01T00:00:01Z\",\"d\":12.34,\"day\":\"1970-01-02\",\"s\":\"hé\","
        + "\"x\":\"NaN\"}");
  }
}
