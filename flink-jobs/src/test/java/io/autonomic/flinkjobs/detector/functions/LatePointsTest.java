package io.autonomic.flinkjobs.detector.functions;

import static io.autonomic.flinkjobs.detector.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LatePointsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T01:00:00Z"), ZoneOffset.UTC);

  @Test
  void aLatePointKeepsThePointItself() throws Exception {
    MetricPoint p = point("h1", "cpu", 30_000, 4.5);
    DeadLetter d = map(LatePoints.points("telemetry.metrics", CLOCK), p);
    assertThat(d.getReason()).isEqualTo(LatePoints.REASON);
    assertThat(MetricPoint.getDecoder().decode(d.getValue())).isEqualTo(p);
    assertThat(new String(d.getKey().array(), StandardCharsets.UTF_8)).isEqualTo("h1");
    assertThat(d.getSourceTimestamp()).isEqualTo(p.getEventTime());
    assertThat(d.getFailedAt()).isEqualTo(CLOCK.instant());
  }

  @Test
  void aLatePartialSaysItWasPreAggregatedAndCarriesItsFeatures() throws Exception {
    FeatureAccumulator partial = new FeatureAccumulator();
    partial.add("h1", "cpu", Map.of("service", "checkout"), 10_000, 1);
    partial.add("h1", "cpu", Map.of("service", "checkout"), 20_000, 3);
    DeadLetter d = map(LatePoints.partials("telemetry.metrics", CLOCK), partial);

    assertThat(d.getReason()).startsWith("late: 2 points of h1/cpu from 1970-01-01T00:00:10Z to "
        + "1970-01-01T00:00:20Z").contains("pre-aggregated");
    JsonNode features = new ObjectMapper().readTree(d.getValue().array());
    assertThat(features.get("count").asLong()).isEqualTo(2);
    assertThat(features.get("mean").asDouble()).isEqualTo(2.0);
    assertThat(features.get("tags").get("service").asText()).isEqualTo("checkout");
    assertThat(d.getSourceTopic()).isEqualTo("telemetry.metrics");
    assertThat(d.getSourcePartition()).isEqualTo(-1);
  }

  private static <T> DeadLetter map(LatePoints<T> f, T in) throws Exception {
    try (OneInputStreamOperatorTestHarness<T, DeadLetter> h =
        new OneInputStreamOperatorTestHarness<>(new StreamMap<>(f))) {
      h.open();
      h.processElement(new StreamRecord<>(in, 0));
      return h.extractOutputValues().get(0);
    }
  }
}
