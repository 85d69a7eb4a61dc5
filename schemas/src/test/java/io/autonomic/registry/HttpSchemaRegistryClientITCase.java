package io.autonomic.registry;

import static io.autonomic.registry.AvroSerdeTest.THING_V1;
import static io.autonomic.registry.AvroSerdeTest.THING_V2;
import static io.autonomic.registry.AvroSerdeTest.THING_V2_NO_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.autonomic.avro.MetricPoint;
import io.autonomic.registry.RegistryException.Reason;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The client against a real registry (Apicurio 3's Confluent-compatible API), and a registry that is not there. */
@IntegrationStack
class HttpSchemaRegistryClientITCase {

  private static HttpSchemaRegistryClient client(TestRegistry registry) {
    return new HttpSchemaRegistryClient(Map.of(RegistryConfig.URL, registry.ccompatUrl()));
  }

  @Test
  void shouldRegisterLookUpAndFetchLikeConfluent(TestRegistry registry) {
    String subject = registry.uniqueSubject("things") + "-value";
    int id = client(registry).register(subject, THING_V1);
    HttpSchemaRegistryClient fresh = client(registry);

    assertThat(fresh.getSchemaById(id)).isEqualTo(THING_V1);
    assertThat(fresh.getId(subject, THING_V1)).isEqualTo(id);
    assertThat(fresh.register(subject, THING_V1)).as("registering again is idempotent").isEqualTo(id);
    assertThat(fresh.getLatestVersion(subject)).isEqualTo(new RegisteredSchema(subject, 1, id, THING_V1));
  }

  @Test
  void shouldSetBackwardAndRejectAnIncompatibleSchemaWithTheRegistrysMessage(TestRegistry registry) {
    String subject = registry.uniqueSubject("things") + "-value";
    HttpSchemaRegistryClient client = client(registry);
    client.register(subject, THING_V1);
    client.setCompatibility(subject, CompatibilityLevel.BACKWARD);

    RegistryException e = catchThrowableOfType(RegistryException.class,
        () -> client.register(subject, THING_V2_NO_DEFAULT));

    assertThat(client.getCompatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
    assertThat(e.httpStatus()).isEqualTo(409);
    assertThat(e.registryMessage()).contains("Incompatible artifact");
    assertThat(e.getMessage()).contains("register schema io.autonomic.test.Thing under subject '" + subject + "'",
        registry.ccompatUrl(), e.registryMessage());
    assertThat(client.testCompatibility(subject, THING_V2_NO_DEFAULT).compatible()).isFalse();
    assertThat(client.testCompatibility(subject, THING_V2).compatible()).isTrue();
    assertThat(client.register(subject, THING_V2)).as("a compatible change still registers").isPositive();
  }

  @Test
  void shouldSurfaceIncompatibilityFromTheSerializer(TestBroker broker, TestRegistry registry) {
    String topic = broker.uniqueTopic("things");
    HttpSchemaRegistryClient client = client(registry);
    client.register(topic + "-value", THING_V1);
    client.setCompatibility(topic + "-value", CompatibilityLevel.BACKWARD);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
    serializer.configure(Map.of(RegistryConfig.URL, registry.ccompatUrl()), false);
    GenericRecord breaking = new org.apache.avro.generic.GenericData.Record(THING_V2_NO_DEFAULT);
    breaking.put("id", "x");
    breaking.put("colour", "red");

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> serializer.serialize(topic, breaking));

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
    assertThat(e.getMessage()).contains("Incompatible artifact");
  }

  @Test
  void shouldRefuseToWriteAnUnregisteredSchemaWhenAutoRegisterIsOff(TestRegistry registry) {
    AvroSerializer<MetricPoint> serializer = new AvroSerializer<>();
    serializer.configure(Map.of(RegistryConfig.URL, registry.ccompatUrl(),
        RegistryConfig.AUTO_REGISTER_SCHEMAS, false), false);
    String topic = registry.uniqueSubject("unregistered");

    RegistryException e = catchThrowableOfType(RegistryException.class,
        () -> serializer.serialize(topic, AvroSerdeTest.point()));

    assertThat(e.reason()).isIn(Reason.SUBJECT_NOT_FOUND, Reason.SCHEMA_NOT_FOUND);
    assertThat(e.getMessage()).contains(topic + "-value", registry.ccompatUrl(), "auto.register.schemas is false");
  }

  @Test
  void shouldNameTheUrlAndAttemptsWhenTheRegistryIsUnreachable(TestBroker broker) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/apis/ccompat/v7";
    Map<String, Object> props = new HashMap<>(broker.producerProps());
    props.put(RegistryConfig.URL, url);
    props.put(RegistryConfig.MAX_ATTEMPTS, 3);
    props.put(RegistryConfig.RETRY_BACKOFF_MS, 50L);
    String topic = broker.uniqueTopic("telemetry.metrics");

    try (KafkaProducer<String, MetricPoint> producer =
        new KafkaProducer<>(props, new StringSerializer(), configured(new AvroSerializer<>(), props))) {
      RegistryException e = catchThrowableOfType(RegistryException.class,
          () -> producer.send(new ProducerRecord<>(topic, "host-1", AvroSerdeTest.point())));

      assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(e.getMessage()).matches("schema registry unreachable at \\Q" + url + "\\E: connection refused after 3 "
          + "attempts over \\d+\\.\\d s \\(register schema io.autonomic.avro.MetricPoint under subject '\\Q" + topic
          + "\\E-value'\\)");
    }
  }

  private static <T> AvroSerializer<T> configured(AvroSerializer<T> serializer, Map<String, Object> props) {
    serializer.configure(props, false);
    return serializer;
  }
}
