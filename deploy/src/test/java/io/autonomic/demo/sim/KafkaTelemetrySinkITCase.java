package io.autonomic.demo.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.demo.fleet.FleetSample;
import io.autonomic.demo.fleet.MetricNames;
import io.autonomic.demo.scenario.Scenarios;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.RegistryConfig;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The simulator's telemetry reaches Kafka keyed by entity id, in the registry's wire format, readable as Avro. */
@IntegrationStack
class KafkaTelemetrySinkITCase {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void metricsAndLogsArriveKeyedByEntityWithTheContractSchemas(TestBroker broker, TestRegistry registry)
      throws Exception {
    String metrics = broker.uniqueTopic("telemetry.metrics");
    String logs = broker.uniqueTopic("telemetry.logs");
    broker.createTopic(metrics, 3);
    broker.createTopic(logs, 3);
    Map<String, Object> props = new HashMap<>(broker.producerProps());
    props.put(RegistryConfig.URL, registry.ccompatUrl());
    DemoPlan fitting = DemoPlan.fitting(Duration.ofMinutes(1), "dead-replica", T0);
    DemoPlan fast = new DemoPlan(T0, fitting.step(), Duration.ofMillis(20), Duration.ofSeconds(50),
        Duration.ofSeconds(60), fitting.dayLength(), Scenarios.select("dead-replica", Duration.ofSeconds(30)));
    List<FleetSample> sent = new CopyOnWriteArrayList<>();

    KafkaTelemetrySink sink = new KafkaTelemetrySink(props, metrics, logs);
    try (FleetSimulator sim = new FleetSimulator(Simulation.of(fast, 11), sink, fast, Clock.systemUTC(),
        (wall, tick) -> sent.add(tick.sample())).start()) {
      assertThat(sim.awaitFinished(60, TimeUnit.SECONDS)).isTrue();
      assertThat(sink.failed()).isZero();
      assertThat(sink.sent()).isEqualTo(sent.stream().mapToLong(s -> s.metrics().size() + s.logs().size()).sum());
    }

    int points = sent.stream().mapToInt(s -> s.metrics().size()).sum();
    int lines = sent.stream().mapToInt(s -> s.logs().size()).sum();
    Map<String, Object> consumer = Map.of(RegistryConfig.URL, registry.ccompatUrl());
    AvroDeserializer<MetricPoint> pointDe = AvroDeserializer.specific(MetricPoint.class);
    pointDe.configure(consumer, false);
    AvroDeserializer<LogRecord> logDe = AvroDeserializer.specific(LogRecord.class);
    logDe.configure(consumer, false);
    List<ConsumerRecord<String, MetricPoint>> gotPoints = broker.consume(metrics, new StringDeserializer(), pointDe,
        points, Duration.ofSeconds(60));
    List<ConsumerRecord<String, LogRecord>> gotLogs = broker.consume(logs, new StringDeserializer(), logDe, lines,
        Duration.ofSeconds(60));

    assertThat(gotPoints).hasSize(points).allMatch(r -> r.key().equals(r.value().getEntityId()));
    assertThat(gotLogs).hasSize(lines).allMatch(r -> r.key().equals(r.value().getEntityId()));
    assertThat(gotPoints).extracting(r -> r.value().getMetric()).containsAll(MetricNames.ALL);
    assertThat(gotPoints).extracting(ConsumerRecord::key).contains("shop/frontend-1", "shop/checkout-2",
        "shop/database-2");
    // one entity's series stays in one partition
    Map<String, Integer> partitionOf = new HashMap<>();
    gotPoints.forEach(r -> assertThat(partitionOf.computeIfAbsent(r.key(), k -> r.partition()))
        .isEqualTo(r.partition()));
    assertThat(gotLogs).anyMatch(r -> r.value().getMessage().contains("connection refused to checkout-2"));
    assertThat(registry.get("/subjects/" + metrics + "-value/versions/latest")).contains("MetricPoint");
    assertThat(registry.get("/subjects/" + logs + "-value/versions/latest")).contains("LogRecord");
  }
}
