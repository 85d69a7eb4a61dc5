package io.autonomic.flinkjobs.detector.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class AbsentSeriesFunctionTest {
  private static final long W = 10_000;
  private static final Instant NOW = Instant.parse("2026-11-26T07:00:00Z");

  @Test
  void reportsARegularSeriesOnceAfterItsWindowsStopForTheConfiguredNumberOfPeriods() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> h = harness()) {
      for (int i = 0; i < 5; i++) {
        h.processElement(window("cpu", i), (i + 1) * W - 1);
        h.processWatermark((i + 1) * W - 1);
      }
      h.processWatermark(7 * W); // two periods after the last window: not yet absent
      assertThat(h.extractOutputValues()).isEmpty();

      h.processWatermark(8 * W - 1); // the third missing window closed

      assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
        assertThat(e.getEntityId()).isEqualTo("shop/checkout-2");
        assertThat(e.getMetric()).isEqualTo("cpu");
        assertThat(e.getDetector()).isEqualTo(AbsentSeriesFunction.DETECTOR);
        assertThat(e.getScore()).isEqualTo(1.0);
        assertThat(e.getWindowStart()).isEqualTo(Instant.ofEpochMilli(5 * W));
        assertThat(e.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(8 * W));
        assertThat(e.getContributions()).singleElement().satisfies(c -> {
          assertThat(c.getFeature()).isEqualTo("cpu:absent");
          assertThat(c.getObserved()).isZero();
          assertThat(c.getExpected()).isEqualTo(1.0);
        });
        assertThat(e.getTags()).containsEntry("service", "checkout");
        assertThat(e.getDetectedAt()).isEqualTo(NOW);
      });
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numEventTimeTimers()).isZero();

      h.processWatermark(20 * W);
      assertThat(h.extractOutputValues()).hasSize(1);
    }
  }

  @Test
  void aSeriesThatKeepsReportingIsNeverAbsent() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> h = harness()) {
      for (int i = 0; i < 20; i++) {
        h.processElement(window("cpu", i), (i + 1) * W - 1);
        h.processWatermark((i + 1) * W - 1);
      }
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }
  }

  @Test
  void aSeriesSeenForFewerThanTheMinimumWindowsIsNotExpected() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> h = harness()) {
      h.processElement(window("cpu", 0), W - 1);
      h.processElement(window("cpu", 1), 2 * W - 1);
      h.processWatermark(30 * W);

      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void theEndOfAFiniteInputIsNotAnAbsence() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> h = harness()) {
      for (int i = 0; i < 5; i++) {
        h.processElement(window("cpu", i), (i + 1) * W - 1);
      }
      h.processWatermark(Long.MAX_VALUE);

      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void aLateRefiredWindowDoesNotMoveTheDeadlineBack() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> h = harness()) {
      for (int i = 0; i < 5; i++) {
        h.processElement(window("cpu", i), (i + 1) * W - 1);
      }
      h.processElement(window("cpu", 2), 3 * W - 1);
      assertThat(h.numEventTimeTimers()).isEqualTo(1);

      h.processWatermark(8 * W - 1);
      assertThat(h.extractOutputValues()).singleElement()
          .satisfies(e -> assertThat(e.getWindowStart()).isEqualTo(Instant.ofEpochMilli(5 * W)));
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> harness()
      throws Exception {
    AbsentSeriesFunction f = new AbsentSeriesFunction(3, 3, Duration.ofMillis(W), 0.9, Duration.ofDays(1),
        Clock.fixed(NOW, ZoneOffset.UTC));
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(f, SeriesFeatures::seriesKey, Types.STRING);
  }

  private static SeriesFeatures window(String metric, int i) {
    SeriesFeatures f = new SeriesFeatures();
    f.entityId = "shop/checkout-2";
    f.metric = metric;
    f.windowStart = i * W;
    f.windowEnd = (i + 1) * W;
    f.count = 1;
    f.mean = 0.4;
    f.tags = Map.of("service", "checkout");
    return f;
  }
}
