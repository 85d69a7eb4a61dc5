package io.autonomic.streams.normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.StreamsApp;
import io.autonomic.streams.StreamsRunner;
import io.autonomic.streams.testing.Stack;
import io.autonomic.streams.testing.TopicReader;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

@IntegrationStack
class NormalizerITCase {

  static ProducerRecord<byte[], byte[]> raw(String topic, String value) {
    return new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void normalizesEveryFormatExactlyOnceAndDeadLettersMalformedInput(TestBroker broker, TestRegistry registry) {
    for (var t : List.of(Topics.RAW_OTLP, Topics.RAW_INFLUX, Topics.RAW_JSON, Topics.METRICS, Topics.LOGS,
        Topics.DLQ)) {
      broker.createTopic(t.name(), t.defaultPartitions());
    }
    String host = broker.uniqueId("host");
    long nanos = Instant.now().toEpochMilli() * 1_000_000L;
    Metric gauge = Metric.newBuilder().setName("system.memory.utilization").setUnit("1").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos).setAsDouble(0.5))).build();
    byte[] otlp = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("host.name")
            .setValue(AnyValue.newBuilder().setStringValue(host))))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge))).build().toByteArray();
    byte[] truncated = Arrays.copyOf(otlp, otlp.length - 5);
    String badLine = "cpu,host=" + host + " usage_idle=oops";
    String notJson = "<html>" + host + "</html>";

    var config = Stack.config(broker, registry, "normalizer.application.id=" + broker.uniqueId("normalizer"));
    try (StreamsRunner runner = StreamsRunner.start(config, Set.of(StreamsApp.NORMALIZER), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> runner.streams(StreamsApp.NORMALIZER).state() == KafkaStreams.State.RUNNING);
      broker.produceRaw(Topics.RAW_OTLP.name(), List.of(new ProducerRecord<>(Topics.RAW_OTLP.name(), null, otlp),
          new ProducerRecord<>(Topics.RAW_OTLP.name(), null, truncated)));
      broker.produceRaw(Topics.RAW_INFLUX.name(), List.of(
          raw(Topics.RAW_INFLUX.name(), "cpu,host=" + host + " usage_idle=90.5,usage_user=4.5 " + nanos),
          raw(Topics.RAW_INFLUX.name(), badLine)));
      broker.produceRaw(Topics.RAW_JSON.name(), List.of(
          raw(Topics.RAW_JSON.name(), "{\"message\":\"disk full\",\"level\":\"error\",\"host\":\"" + host + "\"}"),
          raw(Topics.RAW_JSON.name(), notJson)));

      Map<String, Object> registryProps = Map.of("schema.registry.url", registry.ccompatUrl());
      AvroDeserializer<MetricPoint> points = AvroDeserializer.specific(MetricPoint.class);
      points.configure(registryProps, false);
      try (var reader = new TopicReader<>(broker, Topics.METRICS.name(), new StringDeserializer(), points,
          r -> r.key().equals(host))) {
        var out = reader.awaitAll(rs -> rs.size() >= 3, Duration.ofSeconds(60), Duration.ofSeconds(2));
        assertThat(out).extracting(r -> r.value().getMetric())
            .containsExactlyInAnyOrder("system.memory.utilization", "cpu.usage_idle", "cpu.usage_user");
      }
      AvroDeserializer<LogRecord> logs = AvroDeserializer.specific(LogRecord.class);
      logs.configure(registryProps, false);
      try (var reader = new TopicReader<>(broker, Topics.LOGS.name(), new StringDeserializer(), logs,
          r -> r.key().equals(host))) {
        var out = reader.awaitAll(rs -> !rs.isEmpty(), Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(out).singleElement().satisfies(r -> assertThat(r.value().getMessage()).isEqualTo("disk full"));
      }
      AvroDeserializer<DeadLetter> letters = AvroDeserializer.specific(DeadLetter.class);
      letters.configure(registryProps, false);
      try (var reader = new TopicReader<>(broker, Topics.DLQ.name(), new StringDeserializer(), letters,
          r -> r.value().getValue() != null && new String(r.value().getValue().array(), StandardCharsets.ISO_8859_1)
              .contains(host) || r.value().getValue() != null
              && Arrays.equals(r.value().getValue().array(), truncated))) {
        var out = reader.awaitAll(rs -> rs.size() >= 3, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(out).extracting(r -> r.key() + ": " + r.value().getReason().split(":")[0])
            .containsExactlyInAnyOrder("telemetry.raw.otlp: truncated protobuf",
                "telemetry.raw.influx: invalid line protocol", "telemetry.raw.json: not JSON");
        assertThat(out).allSatisfy(r -> {
          assertThat(r.value().getSourceTopic()).isEqualTo(r.key());
          assertThat(r.value().getSourceOffset()).isNotNegative();
        });
      }
      assertThat(runner.meters().find("autonomic.normalizer.dead.letters").counters().stream()
          .mapToDouble(c -> c.count()).sum()).isEqualTo(3.0);
    }
  }
}
