package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.flinkjobs.detector.anomaly.FeatureScore;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCombinationTest {
  private static ModelScoring result(ModelSpec spec, double statScore, double error, double mean, double max) {
    SeriesFeatures f = new SeriesFeatures();
    f.mean = mean;
    f.max = max;
    f.score = new WindowScore();
    f.score.detector = "combined";
    f.score.score = statScore;
    f.score.warmedUp = true;
    f.score.features = new ArrayList<>(List.of(new FeatureScore("mean", mean, 10, statScore),
        new FeatureScore("std", 1, 1, 0.1)));
    f.score.modelVersions.put("combined", 2L);
    ModelScoring s = ModelScoring.request(f, spec, null);
    s.error = error;
    s.expected = new double[] {10, 20};
    return s;
  }

  @Test
  void theScoreIsTheLargerLikelihoodAndTheModelVersionIsRecorded() {
    ModelSpec spec = ModelSpec.from(Specs.lstm("k", 3));
    ModelCombination c = new ModelCombination();
    for (int i = 0; i < 60; i++) {
      ModelScoring s = result(spec, 0.3, 0.05 + 0.001 * (i % 5), 10, 20);
      double l = c.apply(s);
      assertThat(s.window.score.score).isEqualTo(Math.max(0.3, l));
      assertThat(s.window.score.modelVersions).containsEntry("lstm-autoencoder", 3L).containsEntry("combined", 2L);
    }

    ModelScoring spike = result(spec, 0.3, 5.0, 10, 60);
    double l = c.apply(spike);

    assertThat(l).isGreaterThan(0.99);
    assertThat(spike.window.score.score).isEqualTo(l);
    assertThat(spike.window.score.detector).as("event ids stay stable").isEqualTo("combined");
    // model-driven: max (off by 40 = 10 std) leads, observed against the reconstruction; statistical std follows
    FeatureScore top = spike.window.score.features.get(0);
    assertThat(top.feature).isEqualTo("max");
    assertThat(top.observed).isEqualTo(60);
    assertThat(top.expected).isEqualTo(20);
    assertThat(top.likelihood).isEqualTo(l);
    assertThat(spike.window.score.features).extracting(f -> f.feature).containsExactly("max", "mean", "std");
  }

  @Test
  void aStatisticalScoreAboveTheModelsKeepsItsEvidence() {
    ModelSpec spec = ModelSpec.from(Specs.lstm("k", 1));
    ModelScoring s = result(spec, 0.999, 0.05, 30, 20);
    new ModelCombination().apply(s);

    assertThat(s.window.score.score).isEqualTo(0.999);
    assertThat(s.window.score.features.get(0).feature).isEqualTo("mean");
    assertThat(s.window.score.features.get(0).expected).isEqualTo(10);
  }

  @Test
  void aNewVersionStartsAFreshErrorHistory() {
    ModelCombination c = new ModelCombination();
    ModelSpec v1 = ModelSpec.from(Specs.lstm("k", 1));
    for (int i = 0; i < 30; i++) {
      c.apply(result(v1, 0, 0.05, 10, 20));
    }
    assertThat(c.apply(result(v1, 0, 5, 10, 20))).isGreaterThan(0.9);

    ModelSpec v2 = ModelSpec.from(Specs.lstm("k", 2));
    assertThat(c.apply(result(v2, 0, 5, 10, 20))).as("still learning v2's errors").isZero();
    assertThat(c.version()).isEqualTo(2);
  }
}
