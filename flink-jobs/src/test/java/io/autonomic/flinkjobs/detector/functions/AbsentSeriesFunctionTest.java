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
      assertThat(h.numEventTimeTimers()).isZero(); // still learning its period: no deadline (state TTL drops it)
    }
  }

  @Test
  void aSlowSeriesIsAbsentOnlyAfterTheConfiguredNumberOfItsOwnPeriods() throws Exception {
    // windows of 500 ms, a host agent reporting every 10 s: one window with points every 20 window periods
    long tick = 500;
    long every = 10_000;
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> h = harness(tick)) {
      for (int i = 0; i < 5; i++) {
        h.processElement(window("system.cpu.utilization", i * every, tick), i * every + tick - 1);
        h.processWatermark(i * every + tick - 1);
      }
      long lastEnd = 4 * every + tick;
      h.processWatermark(lastEnd + 3 * tick); // three window periods: a fast series would be absent by now
      h.processWatermark(lastEnd + 2 * every); // two of its own periods: the next report may just be late
      assertThat(h.extractOutputValues()).isEmpty();

      h.processWatermark(lastEnd + 3 * every - 1); // the third of its own periods without a window

      assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
        assertThat(e.getMetric()).isEqualTo("system.cpu.utilization");
        assertThat(e.getWindowStart()).isEqualTo(Instant.ofEpochMilli(lastEnd));
        assertThat(e.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(lastEnd + 3 * every));
      });
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void fastAndSlowSeriesEachKeepTheirOwnDeadline() throws Exception {
    long tick = 500;
    long every = 10_000;
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> h = harness(tick)) {
      // both stop after 40 s: the fast one (every window) and the slow one (every 20th window)
      for (long t = 0; t < 4 * every + tick; t += tick) {
        h.processElement(window("fast", t, tick), t + tick - 1);
        if (t % every == 0) {
          h.processElement(window("slow", t, tick), t + tick - 1);
        }
        h.processWatermark(t + tick - 1);
      }
      long lastEnd = 4 * every + tick;
      h.processWatermark(lastEnd + 3 * tick - 1);
      assertThat(h.extractOutputValues()).extracting(AnomalyEvent::getMetric).containsExactly("fast");

      h.processWatermark(lastEnd + 3 * every - 1);
      assertThat(h.extractOutputValues()).extracting(AnomalyEvent::getMetric).containsExactly("fast", "slow");
    }
  }

  @Test
  void oneMissedReportDoesNotStretchTheExpectedPeriod() {
    long[] gaps = {10_000, 10_000, 20_000, 10_000, 10_000, 10_000};

    assertThat(AbsentSeriesFunction.expectedPeriod(gaps, 500)).isEqualTo(10_000);
    assertThat(AbsentSeriesFunction.expectedPeriod(new long[] {300, 200, 250}, 500))
        .as("never shorter than a window period").isEqualTo(500);
    assertThat(AbsentSeriesFunction.expectedPeriod(null, 500)).as("no gap known yet").isEqualTo(500);
  }

  @Test
  void aSeriesThatSlowsDownIsJudgedByItsRecentGaps() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> h = harness()) {
      long t = 0;
      for (int i = 0; i < 5; i++, t += W) { // every period first
        h.processElement(window("cpu", t, W), t + W - 1);
        h.processWatermark(t + W - 1);
      }
      for (int i = 0; i < AbsentSeriesFunction.GAPS; i++, t += 4 * W) { // then every fourth period
        h.processElement(window("cpu", t, W), t + W - 1);
        h.processWatermark(t + W - 1);
      }
      long lastEnd = t - 4 * W + W;
      h.processWatermark(lastEnd + 11 * W);
      assertThat(h.extractOutputValues()).isEmpty();

      h.processWatermark(lastEnd + 12 * W - 1);
      assertThat(h.extractOutputValues()).hasSize(1);
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
    return harness(W);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, AnomalyEvent> harness(long period)
      throws Exception {
    AbsentSeriesFunction f = new AbsentSeriesFunction(3, 3, Duration.ofMillis(period), 0.9, Duration.ofDays(1),
        Clock.fixed(NOW, ZoneOffset.UTC));
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(f, SeriesFeatures::seriesKey, Types.STRING);
  }

  private static SeriesFeatures window(String metric, int i) {
    return window(metric, i * W, W);
  }

  private static SeriesFeatures window(String metric, long start, long size) {
    SeriesFeatures f = new SeriesFeatures();
    f.entityId = "shop/checkout-2";
    f.metric = metric;
    f.windowStart = start;
    f.windowEnd = start + size;
    f.count = 1;
    f.mean = 0.4;
    f.tags = Map.of("service", "checkout");
    return f;
  }
}
