package io.autonomic.flinkjobs.detector.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class EntityVectorFunctionTest {
  private static final long MINUTE = 60_000;

  @Test
  void joinsAnEntitysSeriesWhenTheWatermarkClosesTheWindowAndClearsItsState() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, EntityVector> h = harness()) {
      h.processElement(features("cpu", 0, MINUTE), MINUTE - 1);
      h.processElement(features("mem", 0, MINUTE), MINUTE - 1);
      h.processElement(features("cpu", MINUTE, 2 * MINUTE), 2 * MINUTE - 1);
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.numEventTimeTimers()).isEqualTo(2);

      h.processWatermark(MINUTE - 1);

      assertThat(h.extractOutputValues()).singleElement().satisfies(v -> {
        assertThat(v.entityId).isEqualTo("h1");
        assertThat(v.windowStart).isZero();
        assertThat(v.windowEnd).isEqualTo(MINUTE);
        assertThat(v.series).extracting(s -> s.metric).containsExactly("cpu", "mem");
      });

      h.processWatermark(2 * MINUTE - 1);

      assertThat(h.extractOutputValues()).hasSize(2);
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void keepsEntitiesApart() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, EntityVector> h = harness()) {
      SeriesFeatures other = features("cpu", 0, MINUTE);
      other.entityId = "h2";
      h.processElement(features("cpu", 0, MINUTE), MINUTE - 1);
      h.processElement(other, MINUTE - 1);

      h.processWatermark(MINUTE - 1);

      assertThat(h.extractOutputValues()).extracting(v -> v.entityId).containsExactlyInAnyOrder("h1", "h2");
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, EntityVector> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new EntityVectorFunction(), f -> f.entityId,
        Types.STRING);
  }

  static SeriesFeatures features(String metric, long start, long end) {
    SeriesFeatures f = new SeriesFeatures();
    f.entityId = "h1";
    f.metric = metric;
    f.windowStart = start;
    f.windowEnd = end;
    f.count = 10;
    f.mean = 1;
    f.tags = Map.of();
    return f;
  }
}
