package io.autonomic.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  private final FakeSchemaRegistry registry = new FakeSchemaRegistry();

  @Test
  void shouldWriteMagicByteAndBigEndianSchemaId() {
    assertThat(WireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
    assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 1, 44, 9})).isEqualTo(300);
  }

  @Test
  void shouldRecognizeFramedValuesOnly() {
    assertThat(WireFormat.isWireFormat(new byte[] {0, 0, 0, 0, 7})).isTrue();
    assertThat(WireFormat.isWireFormat("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(WireFormat.isWireFormat(new byte[] {0, 0, 0})).isFalse();
    assertThat(WireFormat.isWireFormat(null)).isFalse();
  }

  @Test
  void shouldRejectUnknownMagicByteWithHexPrefix() {
    byte[] json = "{\"a\":\"not avro at all\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> new AvroDeserializer<>(registry).deserialize("telemetry.metrics", json))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("cannot read value of topic 'telemetry.metrics': unknown magic byte 0x7b at offset 0 of a "
            + "23-byte value (first bytes: 7b 22 61 22 3a 22 6e 6f 74 20 61 76 72 6f 20 61 ...): "
            + "not in the Confluent wire format");
  }

  @Test
  void shouldRejectTooShortPayload() {
    assertThatThrownBy(() -> new AvroDeserializer<>(registry).deserialize("t", new byte[] {0, 0, 1}))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("cannot read value of topic 't': a 3-byte value (bytes: 00 00 01) is too short for the "
            + "Confluent wire format, which starts with a magic byte 0 and a 4-byte schema id");
  }

  @Test
  void shouldRejectEmptyValue() {
    assertThatThrownBy(() -> new AvroDeserializer<>(registry).deserialize("t", new byte[0]))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("empty value");
  }

  @Test
  void shouldNameUnknownSchemaIdAndTopic() {
    byte[] bytes = {0, 0, 0, 0, 99, 2, 65};

    RegistryException e = catchThrowableOfType(RegistryException.class,
        () -> new AvroDeserializer<>(registry).deserialize("t", bytes));

    assertThat(e.reason()).isEqualTo(RegistryException.Reason.SCHEMA_NOT_FOUND);
    assertThat(e.getMessage()).isEqualTo("cannot read value of topic 't': schema id 99 not found in registry "
        + FakeSchemaRegistry.URL);
  }

  @Test
  void shouldReportTruncatedAvroData() {
    byte[] full = new AvroSerializer<>(registry).serialize("things", AvroSerdeTest.thing(AvroSerdeTest.THING_V1,
        "a-long-enough-id"));
    byte[] truncated = Arrays.copyOf(full, full.length - 4);

    assertThatThrownBy(() -> new AvroDeserializer<>(registry).deserialize("things", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot read value of topic 'things'")
        .hasMessageContaining("end before the io.autonomic.test.Thing (schema id 1) is complete");
  }
}
