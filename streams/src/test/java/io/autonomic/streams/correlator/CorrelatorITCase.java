package io.autonomic.streams.correlator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.Severity;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

@IntegrationStack
class CorrelatorITCase {

  static AnomalyEvent anomaly(String entity, String service, Instant start) {
    return AnomalyEvent.newBuilder().setEventId("it/" + entity + "/" + start.toEpochMilli()).setEntityId(entity)
        .setMetric("latency.p99").setWindowStart(start).setWindowEnd(start.plusSeconds(60)).setScore(0.93)
        .setThreshold(0.8).setSeverity(Severity.HIGH).setDetector("robust-zscore")
        .setContributions(List.of(FeatureContribution.newBuilder().setFeature("latency.p99:mean").setObserved(900)
            .setExpected(120.0).setContribution(0.8).build()))
        .setTags(Map.of("service", service, "namespace", "it")).setDetectedAt(start.plusSeconds(61)).build();
  }

  @Test
  void turnsAnomaliesIntoOneIncidentExactlyOnceAndDeadLettersGarbage(TestBroker broker, TestRegistry registry)
      throws Exception {
    for (var t : List.of(Topics.ANOMALIES, Topics.INCIDENTS, Topics.DLQ)) {
      broker.createTopic(t.name(), t.defaultPartitions());
    }
    String service = broker.uniqueId("svc");
    var config = Stack.config(broker, registry, "correlator.application.id=" + broker.uniqueId("correlator"),
        "correlator.group.wait=0s", "correlator.open.windows=2", "correlator.open.of.windows=3");
    try (StreamsRunner runner = StreamsRunner.start(config, Set.of(StreamsApp.CORRELATOR), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> runner.streams(StreamsApp.CORRELATOR).state() == KafkaStreams.State.RUNNING);

      Instant t0 = Instant.now().minusSeconds(600);
      List<ProducerRecord<String, AnomalyEvent>> anomalies = new ArrayList<>();
      for (int minute = 0; minute < 3; minute++) {
        for (String pod : List.of(service + "-a", service + "-b")) {
          AnomalyEvent a = anomaly(pod, service, t0.plusSeconds(60L * minute));
          anomalies.add(new ProducerRecord<>(Topics.ANOMALIES.name(), pod, a));
          anomalies.add(new ProducerRecord<>(Topics.ANOMALIES.name(), pod, a)); // a repeat
        }
      }
      AvroSerializer<AnomalyEvent> serializer = new AvroSerializer<>();
      serializer.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
      broker.produceTransactionally(Topics.ANOMALIES.name(), new StringSerializer(), serializer, anomalies);
      byte[] garbage = ("not avro " + service).getBytes(StandardCharsets.UTF_8);
      broker.produceRaw(Topics.ANOMALIES.name(), List.of(new ProducerRecord<>(Topics.ANOMALIES.name(),
          service.getBytes(StandardCharsets.UTF_8), garbage)));

      AvroDeserializer<Incident> incidents = AvroDeserializer.specific(Incident.class);
      incidents.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
      List<Incident> out;
      try (var reader = new TopicReader<>(broker, Topics.INCIDENTS.name(), new StringDeserializer(), incidents,
          r -> r.value().getLabels().getOrDefault("service", "").equals(service))) {
        out = reader.awaitAll(rs -> !rs.isEmpty(), Duration.ofSeconds(60), Duration.ofSeconds(3)).stream()
            .map(r -> r.value()).toList();
      }
      assertThat(out).as("one OPEN, written once").singleElement().satisfies(i -> {
        assertThat(i.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(i.getEntities()).containsExactlyInAnyOrder(service + "-a", service + "-b");
      });
      String id = out.get(0).getIncidentId();

      AvroDeserializer<DeadLetter> letters = AvroDeserializer.specific(DeadLetter.class);
      letters.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
      try (var reader = new TopicReader<>(broker, Topics.DLQ.name(), new StringDeserializer(), letters,
          r -> r.value().getValue() != null && java.util.Arrays.equals(r.value().getValue().array(), garbage))) {
        List<DeadLetter> dead = reader.awaitAll(rs -> !rs.isEmpty(), Duration.ofSeconds(30), Duration.ofSeconds(1))
            .stream().map(r -> r.value()).toList();
        assertThat(dead).singleElement().satisfies(d -> {
          assertThat(d.getSourceTopic()).isEqualTo(Topics.ANOMALIES.name());
          assertThat(d.getReason()).startsWith("cannot deserialize").contains("magic byte");
          assertThat(d.getSourceOffset()).isNotNegative();
        });
      }

      HttpClient http = HttpClient.newHttpClient();
      String base = runner.httpUrl();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(base + "/incidents/" + id)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"incidentId\":\"" + id + "\"").contains("\"state\":\"OPEN\"");
      });
      HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(base + "/incidents?state=open"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(open.body()).contains(id);
      HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/incidents/inc-none"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"correlator\":\"RUNNING\"");
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("autonomic_correlator_anomalies_duplicate_total");
      assertThat(runner.meters().find("autonomic.correlator.anomalies.duplicate").counter().count()).isEqualTo(6);
    }
  }

  @Test
  void answersQueriesFromAnyInstanceByForwardingToTheOwner(TestBroker broker, TestRegistry registry)
      throws Exception {
    for (var t : List.of(Topics.ANOMALIES, Topics.INCIDENTS, Topics.DLQ)) {
      broker.createTopic(t.name(), t.defaultPartitions());
    }
    String appId = broker.uniqueId("correlator");
    String[] settings = {"correlator.application.id=" + appId, "correlator.group.wait=0s",
        "correlator.open.windows=1", "correlator.open.of.windows=1"};
    try (StreamsRunner first = StreamsRunner.start(Stack.config(broker, registry, settings),
        Set.of(StreamsApp.CORRELATOR), Clock.systemUTC());
        StreamsRunner second = StreamsRunner.start(Stack.config(broker, registry, settings),
            Set.of(StreamsApp.CORRELATOR), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(90)).until(() -> List.of(first, second).stream().allMatch(r ->
          r.streams(StreamsApp.CORRELATOR).state() == KafkaStreams.State.RUNNING
              && !r.streams(StreamsApp.CORRELATOR).metadataForLocalThreads().iterator().next().activeTasks()
              .isEmpty()));

      Instant t0 = Instant.now().minusSeconds(600);
      List<ProducerRecord<String, AnomalyEvent>> anomalies = new ArrayList<>();
      List<String> services = new ArrayList<>();
      for (int s = 0; s < 6; s++) {
        String service = broker.uniqueId("svc");
        services.add(service);
        anomalies.add(new ProducerRecord<>(Topics.ANOMALIES.name(), service + "-a",
            anomaly(service + "-a", service, t0)));
      }
      AvroSerializer<AnomalyEvent> serializer = new AvroSerializer<>();
      serializer.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
      broker.produceTransactionally(Topics.ANOMALIES.name(), new StringSerializer(), serializer, anomalies);

      AvroDeserializer<Incident> incidents = AvroDeserializer.specific(Incident.class);
      incidents.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
      List<String> ids;
      try (var reader = new TopicReader<>(broker, Topics.INCIDENTS.name(), new StringDeserializer(), incidents,
          r -> services.contains(r.value().getLabels().getOrDefault("service", "")))) {
        ids = reader.awaitAll(rs -> rs.size() >= services.size(), Duration.ofSeconds(60), Duration.ofSeconds(1))
            .stream().map(r -> r.value().getIncidentId()).toList();
      }
      assertThat(ids).hasSize(services.size()).doesNotHaveDuplicates();

      HttpClient http = HttpClient.newHttpClient();
      for (StreamsRunner runner : List.of(first, second)) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          for (String id : ids) {
            HttpResponse<String> one = http.send(HttpRequest.newBuilder(
                URI.create(runner.httpUrl() + "/incidents/" + id)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(one.statusCode()).as(runner.httpUrl() + " " + id).isEqualTo(200);
          }
          HttpResponse<String> open = http.send(HttpRequest.newBuilder(
              URI.create(runner.httpUrl() + "/incidents?state=open")).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(open.body()).contains(ids);
        });
      }
      HttpResponse<String> firstLocal = http.send(HttpRequest.newBuilder(
          URI.create(first.httpUrl() + "/incidents?state=open&local=true")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> secondLocal = http.send(HttpRequest.newBuilder(
          URI.create(second.httpUrl() + "/incidents?state=open&local=true")).build(),
          HttpResponse.BodyHandlers.ofString());
      long onFirst = ids.stream().filter(firstLocal.body()::contains).count();
      long onSecond = ids.stream().filter(secondLocal.body()::contains).count();
      assertThat(onFirst + onSecond).as("each incident lives on one instance").isEqualTo(ids.size());
    }
  }
}
