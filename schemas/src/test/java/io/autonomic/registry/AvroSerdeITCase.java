package io.autonomic.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.autonomic.avro.MetricPoint;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The serde through a real Kafka broker and a real registry (Apicurio's Confluent-compatible API). */
@IntegrationStack
class AvroSerdeITCase {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static Map<String, Object> serdeConfig(TestRegistry registry) {
    return Map.of(RegistryConfig.URL, registry.ccompatUrl());
  }

  @Test
  void shouldRoundTripMetricPointsThroughTheBrokerWithReadCommitted(TestBroker broker, TestRegistry registry) {
    String topic = broker.uniqueTopic("telemetry.metrics");
    broker.createTopic(topic, 3);
    List<ProducerRecord<String, MetricPoint>> sent = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      MetricPoint point = MetricPoint.newBuilder().setEntityId("host-" + i % 4).setMetric("cpu.utilization")
          .setValue(i / 12.0).setUnit("1").setEventTime(Instant.parse("2026-11-26T10:00:00Z").plusSeconds(i))
          .setTags(Map.of("service", "checkout")).build();
      sent.add(new ProducerRecord<>(topic, point.getEntityId(), point));
    }
    AvroSerializer<MetricPoint> serializer = new AvroSerializer<>();
    serializer.configure(serdeConfig(registry), false);
    AvroDeserializer<MetricPoint> deserializer = AvroDeserializer.specific(MetricPoint.class);
    deserializer.configure(serdeConfig(registry), false);

    broker.produceTransactionally(topic, new StringSerializer(), serializer, sent);
    List<ConsumerRecord<String, MetricPoint>> received =
        broker.consume(topic, new StringDeserializer(), deserializer, sent.size(), TIMEOUT);

    assertThat(received).extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(ProducerRecord::value).toList());
    assertThat(received).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getEntityId()));
    String registered = registry.get("/subjects/" + topic + "-value/versions/latest");
    assertThat(registered).contains("io.autonomic.avro").contains("MetricPoint").doesNotContain("avro.java.string");
  }

  @Test
  void shouldReadV1DataWithAV2ReaderThatAddsAFieldWithDefault(TestBroker broker, TestRegistry registry) {
    String topic = broker.uniqueTopic("things");
    broker.createTopic(topic, 1);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
    serializer.configure(serdeConfig(registry), false);
    broker.produce(topic, new StringSerializer(), serializer,
        List.of(new ProducerRecord<>(topic, "t-1", AvroSerdeTest.thing(AvroSerdeTest.THING_V1, "written-by-v1"))));
    GenericRecord v2Record = AvroSerdeTest.thing(AvroSerdeTest.THING_V2, "written-by-v2");
    v2Record.put("colour", "red");
    broker.produce(topic, new StringSerializer(), serializer, List.of(new ProducerRecord<>(topic, "t-2", v2Record)));
    HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(serdeConfig(registry));
    AvroDeserializer<GenericRecord> v2Reader = new AvroDeserializer<>(client, AvroSerdeTest.THING_V2);

    List<ConsumerRecord<String, GenericRecord>> read =
        broker.consume(topic, new StringDeserializer(), v2Reader, 2, TIMEOUT);

    assertThat(read).extracting(r -> r.value().get("id").toString() + "/" + r.value().get("colour"))
        .containsExactly("written-by-v1/grey", "written-by-v2/red");
    List<Integer> schemaIds = broker.consumeRaw(topic, 2, TIMEOUT).stream()
        .map(r -> WireFormat.schemaId(r.value())).toList();
    assertThat(schemaIds).as("v1 and v2 are two registered versions").doesNotHaveDuplicates();
    assertThat(client.getLatestVersion(topic + "-value").version()).isEqualTo(2);
  }

  @Test
  void shouldRejectUnknownMagicByteWithHexPrefix(TestBroker broker, TestRegistry registry) {
    String topic = broker.uniqueTopic("telemetry.metrics");
    broker.createTopic(topic, 1);
    byte[] json = "{\"entityId\":\"host-1\"}".getBytes(StandardCharsets.UTF_8);
    broker.produceRaw(topic, List.of(new ProducerRecord<>(topic, null, json)));
    byte[] value = broker.consumeRaw(topic, 1, TIMEOUT).get(0).value();
    AvroDeserializer<MetricPoint> deserializer = AvroDeserializer.specific(MetricPoint.class);
    deserializer.configure(serdeConfig(registry), false);

    assertThatThrownBy(() -> deserializer.deserialize(topic, value))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("cannot read value of topic '" + topic + "': unknown magic byte 0x7b at offset 0 of a 21-byte "
            + "value (first bytes: 7b 22 65 6e 74 69 74 79 49 64 22 3a 22 68 6f 73 ...): not in the Confluent wire "
            + "format");
  }

  @Test
  void shouldNameAnUnknownSchemaIdAndTheRegistry(TestBroker broker, TestRegistry registry) {
    String topic = broker.uniqueTopic("telemetry.metrics");
    broker.createTopic(topic, 1);
    byte[] framed = ByteBuffer.allocate(7).put(WireFormat.header(987_654)).put((byte) 2).put((byte) 65).array();
    broker.produceRaw(topic, List.of(new ProducerRecord<>(topic, null, framed)));
    byte[] value = broker.consumeRaw(topic, 1, TIMEOUT).get(0).value();
    AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();
    deserializer.configure(serdeConfig(registry), false);

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> deserializer.deserialize(topic, value));

    assertThat(e.reason()).isEqualTo(RegistryException.Reason.SCHEMA_NOT_FOUND);
    assertThat(e.errorCode()).isEqualTo(40403);
    assertThat(e.getMessage()).startsWith("cannot read value of topic '" + topic + "': schema id 987654 not found in "
        + "registry " + registry.ccompatUrl() + ": ").contains("987654");
  }
}
