package io.autonomic.streams.logpatterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.autonomic.avro.MetricPoint;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.StreamsApp;
import io.autonomic.streams.StreamsRunner;
import io.autonomic.streams.testing.Stack;
import io.autonomic.streams.testing.TopicReader;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

@IntegrationStack
class LogPatternsITCase {

  @Test
  void countsTemplatesExactlyOnceAndDeadLettersGarbage(TestBroker broker, TestRegistry registry) throws Exception {
    for (var t : List.of(Topics.LOGS, Topics.METRICS, Topics.DLQ)) {
      broker.createTopic(t.name(), t.defaultPartitions());
    }
    String pod = broker.uniqueId("pod");
    // Ahead of any log the other test classes of this JVM wrote to the shared telemetry.logs (a partition's stream
    // time already past these windows would drop them as late), within EventTimes.FUTURE_TOLERANCE.
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(8, ChronoUnit.MINUTES);
    List<ProducerRecord<String, LogRecord>> logs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      logs.add(log(pod, t0.plusSeconds(i), LogSeverity.INFO, "order " + (1000 + i) + " shipped in " + i + " ms"));
    }
    logs.add(log(pod, t0.plusSeconds(10), LogSeverity.ERROR, "payment gateway timeout after 30 s"));
    logs.add(log(pod, t0.plusSeconds(200), LogSeverity.INFO, "order 2000 shipped in 3 ms")); // closes the window
    byte[] garbage = ("{not avro} " + pod).getBytes(StandardCharsets.UTF_8);

    String appId = broker.uniqueId("log-patterns");
    var config = Stack.config(broker, registry, "log-patterns.application.id=" + appId,
        "log-patterns.window=1m", "log-patterns.grace=10s");
    try (StreamsRunner runner = StreamsRunner.start(config, Set.of(StreamsApp.LOG_PATTERNS), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> runner.streams(StreamsApp.LOG_PATTERNS).state() == KafkaStreams.State.RUNNING);
      AvroSerializer<LogRecord> serializer = new AvroSerializer<>();
      serializer.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
      broker.produceTransactionally(Topics.LOGS.name(), new StringSerializer(), serializer, logs);
      broker.produceRaw(Topics.LOGS.name(), List.of(new ProducerRecord<>(Topics.LOGS.name(),
          pod.getBytes(StandardCharsets.UTF_8), garbage)));

      AvroDeserializer<MetricPoint> points = AvroDeserializer.specific(MetricPoint.class);
      points.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
      try (var reader = new TopicReader<>(broker, Topics.METRICS.name(), new StringDeserializer(), points,
          r -> r.key().equals(pod))) {
        var out = reader.awaitAll(rs -> rs.size() >= 3, Duration.ofSeconds(60), Duration.ofSeconds(3)).stream()
            .map(r -> r.value()).toList();
        assertThat(out).as("written exactly once").extracting(p -> p.getMetric() + "=" + p.getValue())
            .containsExactlyInAnyOrder("log.template.new=1.0", "log.template.count=5.0", "log.template.count=1.0");
        assertThat(out).allSatisfy(p -> assertThat(p.getTags()).containsKey("template_id"));
      }
      AvroDeserializer<DeadLetter> letters = AvroDeserializer.specific(DeadLetter.class);
      letters.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
      try (var reader = new TopicReader<>(broker, Topics.DLQ.name(), new StringDeserializer(), letters,
          r -> r.value().getValue() != null && Arrays.equals(r.value().getValue().array(), garbage))) {
        var out = reader.awaitAll(rs -> !rs.isEmpty(), Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(out).singleElement().satisfies(r -> {
          assertThat(r.value().getSourceTopic()).isEqualTo(Topics.LOGS.name());
          assertThat(r.value().getReason()).startsWith("cannot deserialize");
        });
      }
      HttpResponse<String> catalog = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(runner.httpUrl() + "/templates")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(catalog.statusCode()).isEqualTo(200);
      assertThat(catalog.body()).contains("order <NUM> shipped in <NUM> ms")
          .contains("payment gateway timeout after <NUM> s");

      var changelog = new org.apache.kafka.common.config.ConfigResource(
          org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
          appId + "-" + LogPatternsTopology.CATALOG_STORE + "-changelog");
      var described = broker.admin().describeConfigs(List.of(changelog)).all().get().get(changelog);
      assertThat(described.get("cleanup.policy").value()).as("the catalog lives in a compacted topic")
          .isEqualTo("compact");
    }
  }

  static ProducerRecord<String, LogRecord> log(String entity, Instant at, LogSeverity severity, String message) {
    return new ProducerRecord<>(Topics.LOGS.name(), entity, LogRecord.newBuilder().setEntityId(entity)
        .setEventTime(at).setSeverity(severity).setMessage(message).setAttributes(Map.of()).build());
  }
}
