package io.autonomic.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.autonomic.avro.MetricPoint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  static final Schema THING_V1 = parse("{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"io.autonomic.test\","
      + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
  static final Schema THING_V2 = parse("{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"io.autonomic.test\","
      + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"colour\",\"type\":\"string\",\"default\":\"grey\"}]}");
  static final Schema THING_V2_NO_DEFAULT = parse("{\"type\":\"record\",\"name\":\"Thing\","
      + "\"namespace\":\"io.autonomic.test\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"colour\",\"type\":\"string\"}]}");
  /** MetricPoint as a first draft might have had it: fewer fields, no defaults needed. */
  static final Schema METRIC_POINT_V0 = parse("{\"type\":\"record\",\"name\":\"MetricPoint\","
      + "\"namespace\":\"io.autonomic.avro\",\"fields\":[{\"name\":\"entityId\",\"type\":\"string\"},"
      + "{\"name\":\"metric\",\"type\":\"string\"},{\"name\":\"value\",\"type\":\"double\"},"
      + "{\"name\":\"eventTime\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}");

  private final FakeSchemaRegistry registry = new FakeSchemaRegistry();

  static Schema parse(String json) {
    return new Schema.Parser().parse(json);
  }

  static MetricPoint point() {
    return MetricPoint.newBuilder().setEntityId("host-1").setMetric("cpu.utilization").setValue(0.93).setUnit("1")
        .setEventTime(Instant.parse("2026-11-26T10:15:30.123Z")).setTags(Map.of("service", "checkout")).build();
  }

  static GenericRecord thing(Schema schema, String id) {
    GenericRecord record = new GenericData.Record(schema);
    record.put("id", id);
    return record;
  }

  private <T> AvroSerializer<T> serializer(Object... config) {
    AvroSerializer<T> serializer = new AvroSerializer<>(registry);
    serializer.configure(map(config), false);
    return serializer;
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  @Test
  void shouldRoundTripGeneratedRecordInConfluentWireFormat() {
    MetricPoint point = point();

    byte[] bytes = serializer().serialize("telemetry.metrics", point);
    MetricPoint read = AvroDeserializer.specific(registry, MetricPoint.class).deserialize("telemetry.metrics", bytes);

    assertThat(read).isEqualTo(point);
    assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
    assertThat(WireFormat.schemaId(bytes))
        .isEqualTo(registry.getLatestVersion("telemetry.metrics-value").id());
  }

  @Test
  void shouldRegisterTheContractAsWrittenInTheAvscFile() throws Exception {
    serializer().serialize("telemetry.metrics", point());

    Schema registered = registry.getLatestVersion("telemetry.metrics-value").schema();

    assertThat(registered.toString()).doesNotContain("avro.java.string");
    assertThat(registered).isEqualTo(new Schema.Parser().parse(Path.of("src/main/avro/MetricPoint.avsc").toFile()));
  }

  @Test
  void shouldCacheTheSchemaIdAfterTheFirstRecord() {
    AvroSerializer<MetricPoint> serializer = serializer();

    serializer.serialize("telemetry.metrics", point());
    serializer.serialize("telemetry.metrics", point());

    assertThat(registry.calls("register")).isEqualTo(1);
  }

  @Test
  void shouldReadGenericRecordsWithLogicalTypesConverted() {
    byte[] bytes = serializer().serialize("telemetry.metrics", point());

    GenericRecord read = (GenericRecord) new AvroDeserializer<>(registry).deserialize("telemetry.metrics", bytes);

    assertThat(read.get("eventTime")).isEqualTo(Instant.parse("2026-11-26T10:15:30.123Z"));
    assertThat(read.get("entityId").toString()).isEqualTo("host-1");
    assertThat(read.get("value")).isEqualTo(0.93);
  }

  @Test
  void shouldRoundTripGenericRecords() {
    GenericRecord thing = thing(THING_V1, "t-1");

    byte[] bytes = serializer().serialize("things", thing);
    GenericRecord read = (GenericRecord) new AvroDeserializer<>(registry).deserialize("things", bytes);

    assertThat(read.get("id").toString()).isEqualTo("t-1");
    assertThat(read.getSchema()).isEqualTo(THING_V1);
  }

  @Test
  void shouldWriteNullAsTombstoneAndReadItBack() {
    assertThat(serializer().serialize("models", null)).isNull();
    assertThat(new AvroDeserializer<>(registry).deserialize("models", null)).isNull();
  }

  @Test
  void shouldNameSubjectsAfterTopicByDefault() {
    AvroSerializer<Object> keys = new AvroSerializer<>(registry);
    keys.configure(Map.of(), true);

    serializer().serialize("things", thing(THING_V1, "a"));
    keys.serialize("things", thing(THING_V1, "a"));

    assertThat(registry.getLatestVersion("things-value").schema()).isEqualTo(THING_V1);
    assertThat(registry.getLatestVersion("things-key").schema()).isEqualTo(THING_V1);
  }

  @Test
  void shouldNameSubjectsAfterTheRecordWithRecordStrategy() {
    serializer(RegistryConfig.SUBJECT_NAME_STRATEGY, "record").serialize("things", thing(THING_V1, "a"));

    assertThat(registry.getLatestVersion("io.autonomic.test.Thing").schema()).isEqualTo(THING_V1);
  }

  @Test
  void shouldNameSubjectsAfterTopicAndRecordWithTopicRecordStrategy() {
    serializer(RegistryConfig.SUBJECT_NAME_STRATEGY, "topic-record").serialize("things", thing(THING_V1, "a"));

    assertThat(registry.getLatestVersion("things-io.autonomic.test.Thing").schema()).isEqualTo(THING_V1);
  }

  @Test
  void shouldAcceptConfluentStrategyClassNamesAndRejectUnknownOnes() {
    assertThat(SubjectNameStrategy.parse("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"))
        .isEqualTo(SubjectNameStrategy.TOPIC_RECORD);
    assertThat(SubjectNameStrategy.parse("RecordNameStrategy")).isEqualTo(SubjectNameStrategy.RECORD);
    assertThatThrownBy(() -> serializer(RegistryConfig.SUBJECT_NAME_STRATEGY, "by-colour"))
        .hasMessageContaining("subject.name.strategy").hasMessageContaining("topic, record or topic-record");
  }

  @Test
  void shouldFailClearlyWhenAutoRegisterIsOffAndTheSchemaIsNotRegistered() {
    RegistryException e = catchThrowableOfType(RegistryException.class,
        () -> serializer(RegistryConfig.AUTO_REGISTER_SCHEMAS, false).serialize("things", thing(THING_V1, "a")));

    assertThat(e.reason()).isEqualTo(RegistryException.Reason.SUBJECT_NOT_FOUND);
    assertThat(e.getMessage()).contains("things-value", "auto.register.schemas is false");
    assertThat(registry.calls("register")).isZero();
  }

  @Test
  void shouldUseTheRegisteredIdWhenAutoRegisterIsOff() {
    int id = registry.register("things-value", THING_V1);

    byte[] bytes = serializer(RegistryConfig.AUTO_REGISTER_SCHEMAS, false).serialize("things", thing(THING_V1, "a"));

    assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
    assertThat(registry.calls("register")).isEqualTo(1);
    assertThat(registry.calls("getId")).isEqualTo(1);
  }

  @Test
  void shouldReadOldDataWithANewerReaderSchema() {
    byte[] v1 = serializer().serialize("things", thing(THING_V1, "old"));

    GenericRecord read = (GenericRecord) new AvroDeserializer<>(registry, THING_V2).deserialize("things", v1);

    assertThat(read.get("id").toString()).isEqualTo("old");
    assertThat(read.get("colour").toString()).isEqualTo("grey");
  }

  @Test
  void shouldReadOldDataIntoTheCurrentGeneratedClass() {
    GenericRecord old = new GenericData.Record(METRIC_POINT_V0);
    old.put("entityId", "host-1");
    old.put("metric", "cpu.utilization");
    old.put("value", 0.5);
    old.put("eventTime", Instant.parse("2026-11-26T10:00:00Z"));
    byte[] bytes = serializer().serialize("old-metrics", old);

    MetricPoint read = AvroDeserializer.specific(registry, MetricPoint.class).deserialize("old-metrics", bytes);

    assertThat(read.getEntityId()).isEqualTo("host-1");
    assertThat(read.getEventTime()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(read.getUnit()).isNull();
    assertThat(read.getTags()).isEmpty();
  }

  @Test
  void shouldFindTheGeneratedClassWithSpecificAvroReader() {
    byte[] bytes = serializer().serialize("telemetry.metrics", point());
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>(registry);
    deserializer.configure(Map.of(RegistryConfig.SPECIFIC_AVRO_READER, true), false);

    assertThat(deserializer.deserialize("telemetry.metrics", bytes)).isEqualTo(point());
  }

  @Test
  void shouldTakeTheReaderSchemaFromConfig() {
    byte[] v1 = serializer().serialize("things", thing(THING_V1, "old"));
    AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry);
    deserializer.configure(Map.of(RegistryConfig.READER_SCHEMA, THING_V2.toString()), false);

    assertThat(deserializer.deserialize("things", v1).get("colour").toString()).isEqualTo("grey");
  }

  @Test
  void shouldRefuseAReaderThatCannotReadTheWriterAndNameTheField() {
    byte[] v1 = serializer().serialize("things", thing(THING_V1, "old"));
    int id = WireFormat.schemaId(v1);

    assertThatThrownBy(() -> new AvroDeserializer<>(registry, THING_V2_NO_DEFAULT).deserialize("things", v1))
        .isInstanceOf(SerializationException.class)
        .hasMessage("cannot read value of topic 'things': data written with schema id " + id
            + " (io.autonomic.test.Thing) cannot be read with reader schema io.autonomic.test.Thing: field 'colour' "
            + "(at /fields/1) has no default, so data written without it cannot be read");
  }

  @Test
  void shouldWriteWithTheLatestVersionWhenAsked() {
    registry.register("things-value", THING_V1);
    int v2 = registry.register("things-value", THING_V2);

    byte[] bytes = serializer(RegistryConfig.USE_LATEST_VERSION, true).serialize("things", thing(THING_V1, "a"));
    GenericRecord read = (GenericRecord) new AvroDeserializer<>(registry).deserialize("things", bytes);

    assertThat(WireFormat.schemaId(bytes)).isEqualTo(v2);
    assertThat(read.get("colour").toString()).isEqualTo("grey");
    assertThat(registry.calls("register")).isEqualTo(2);
  }

  @Test
  void shouldRefuseLatestVersionThatCannotRepresentTheRecord() {
    registry.setCompatibility("things-value", CompatibilityLevel.NONE);
    registry.register("things-value", THING_V2_NO_DEFAULT);

    assertThatThrownBy(() -> serializer(RegistryConfig.USE_LATEST_VERSION, true)
        .serialize("things", thing(THING_V1, "a")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("use.latest.version: version 1")
        .hasMessageContaining("field 'colour' (at /fields/1) has no default");
  }

  @Test
  void shouldRejectValuesThatAreNotAvroRecords() {
    assertThatThrownBy(() -> serializer().serialize("things", "just a string"))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not java.lang.String");
  }

  @Test
  void shouldNameTheFieldWhenARequiredValueIsMissing() {
    GenericRecord broken = new GenericData.Record(THING_V1);

    assertThatThrownBy(() -> serializer().serialize("things", broken))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot write io.autonomic.test.Thing as value of topic 'things'")
        .hasMessageContaining("Thing.id");
  }

  @Test
  void shouldRoundTripThroughTheStreamsSerde() {
    AvroSerde<MetricPoint> serde = AvroSerde.specific(MetricPoint.class, registry);
    serde.configure(Map.of(), false);

    MetricPoint read = serde.deserializer().deserialize("telemetry.metrics",
        serde.serializer().serialize("telemetry.metrics", point()));

    assertThat(read).isEqualTo(point());
  }

  @Test
  void shouldRequireTheRegistryUrlWhenNoClientIsGiven() {
    assertThatThrownBy(() -> AvroSerde.generic().configure(Map.of(), false))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("schema.registry.url is not set");
  }
}
