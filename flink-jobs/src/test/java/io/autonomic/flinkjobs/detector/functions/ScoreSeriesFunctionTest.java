package io.autonomic.flinkjobs.detector.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.flinkjobs.detector.anomaly.ZScoreScorer;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ScoreSeriesFunctionTest {
  private static final long MINUTE = 60_000;

  @Test
  void scoresAfterWarmUpAndKeepsOneBaselinePerSeries() throws Exception {
    ScoreSeriesFunction fn = new ScoreSeriesFunction(List.of("mean", "max"), ZScoreScorer::new, 5,
        Duration.ofDays(1));
    try (KeyedOneInputStreamOperatorTestHarness<String, SeriesFeatures, SeriesFeatures> h =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(fn, SeriesFeatures::seriesKey, Types.STRING)) {
      for (int i = 0; i < 10; i++) {
        h.processElement(window(i, 10 + (i % 2) * 0.5), (i + 1) * MINUTE - 1);
      }
      h.processElement(window(10, 50), 11 * MINUTE - 1);

      List<SeriesFeatures> out = h.extractOutputValues();
      assertThat(out).hasSize(11);
      assertThat(out.subList(0, 5)).allSatisfy(f -> assertThat(f.score.warmedUp).isFalse());
      assertThat(out.get(9).score.score).isLessThan(0.5);
      SeriesFeatures spike = out.get(10);
      assertThat(spike.score.warmedUp).isTrue();
      assertThat(spike.score.score).isEqualTo(1.0);
      assertThat(spike.score.features).extracting(s -> s.feature).containsExactlyInAnyOrder("mean", "max");
      assertThat(spike.score.features.get(0).observed).isEqualTo(50);
      assertThat(spike.score.features.get(0).expected).isBetween(10.0, 10.5);
      assertThat(spike.score.modelVersions).containsEntry("zscore", 7L);
      // the baseline is the only state: one entry for the one series, no timers
      assertThat(h.numKeyedStateEntries()).isEqualTo(1);
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  private static SeriesFeatures window(int i, double value) {
    SeriesFeatures f = EntityVectorFunctionTest.features("cpu", i * MINUTE, (i + 1) * MINUTE);
    f.mean = value;
    f.max = value;
    return f;
  }
}
