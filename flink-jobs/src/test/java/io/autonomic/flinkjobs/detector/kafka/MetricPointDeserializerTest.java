package io.autonomic.flinkjobs.detector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.DeadLetter;
import io.autonomic.flinkjobs.detector.TestPoints;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class MetricPointDeserializerTest {
  private static final Instant NOW = Instant.parse("2026-11-01T00:05:00Z");

  @Test
  void turnsBytesThatAreNotTheWireFormatIntoADeadLetterWithTheirCoordinates() throws Exception {
    MetricPointDeserializer d = new MetricPointDeserializer(
        Map.of("schema.registry.url", "http://127.0.0.1:1/apis/ccompat/v7"), Clock.fixed(NOW, ZoneOffset.UTC));
    d.open(null);
    List<Decoded> out = new ArrayList<>();
    byte[] value = "garbage".getBytes(StandardCharsets.UTF_8);

    d.deserialize(new ConsumerRecord<>("telemetry.metrics", 2, 42L, "h1".getBytes(StandardCharsets.UTF_8), value),
        collector(out));
    d.deserialize(new ConsumerRecord<>("telemetry.metrics", 2, 43L, null, null), collector(out));

    assertThat(out).hasSize(2).allSatisfy(x -> assertThat(x.point).isNull());
    DeadLetter garbage = out.get(0).deadLetter;
    assertThat(garbage.getReason()).startsWith("cannot read value of topic 'telemetry.metrics'");
    assertThat(garbage.getSourceTopic()).isEqualTo("telemetry.metrics");
    assertThat(garbage.getSourcePartition()).isEqualTo(2);
    assertThat(garbage.getSourceOffset()).isEqualTo(42L);
    assertThat(garbage.getValue().array()).isEqualTo(value);
    assertThat(garbage.getKey().array()).isEqualTo("h1".getBytes(StandardCharsets.UTF_8));
    assertThat(garbage.getErrorClass()).isNotNull();
    assertThat(garbage.getFailedAt()).isEqualTo(NOW);
    assertThat(garbage.getProcessor()).isEqualTo(MetricPointDeserializer.PROCESSOR);
    assertThat(out.get(1).deadLetter.getReason()).startsWith("tombstone");
    assertThat(out.get(1).eventTime()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void rejectsPointsTheSchemaAcceptsButTheDetectorCannotUse() {
    assertThat(MetricPointDeserializer.problem(TestPoints.point("h1", "cpu", TestPoints.T0, Double.NaN)))
        .contains("value is NaN");
    assertThat(MetricPointDeserializer.problem(TestPoints.point(" ", "cpu", TestPoints.T0, 1)))
        .contains("entityId is empty");
    assertThat(MetricPointDeserializer.problem(TestPoints.point("h1", "", TestPoints.T0, 1)))
        .contains("metric is empty");
    assertThat(MetricPointDeserializer.problem(TestPoints.point("h1", "cpu", TestPoints.T0, 1))).isNull();
  }

  private static Collector<Decoded> collector(List<Decoded> out) {
    return new Collector<>() {
      @Override
      public void collect(Decoded record) {
        out.add(record);
      }

      @Override
      public void close() {}
    };
  }
}
