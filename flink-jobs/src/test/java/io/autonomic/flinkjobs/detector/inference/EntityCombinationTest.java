package io.autonomic.flinkjobs.detector.inference;

import static io.autonomic.flinkjobs.detector.inference.DenseSpecs.series;
import static io.autonomic.flinkjobs.detector.inference.DenseSpecs.vector;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.flinkjobs.detector.anomaly.FeatureScore;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.features.EntityVector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityCombinationTest {
  private static WindowScore statistical(double score) {
    WindowScore s = new WindowScore();
    s.detector = "entity-top2";
    s.score = score;
    s.warmedUp = true;
    s.features = new ArrayList<>(List.of(new FeatureScore("cpu:mean", 50, 50, score),
        new FeatureScore("latency:p95", 250, 240, score / 2)));
    return s;
  }

  /** A window whose reconstruction is {@code reconstruction} (scaled) and whose error is the contract's. */
  private static EntityModelScoring inferred(ModelSpec m, EntityVector v, WindowScore stat, float... reconstruction) {
    EntityModelScoring s = EntityModelScoring.request(v, stat, m);
    s.reconstruction = reconstruction;
    s.error = DenseInput.error(s.input, reconstruction);
    return s;
  }

  private static EntityVector normal() {
    return vector(series("cpu", 50, 51), series("latency", 200, 220));
  }

  @Test
  void aWindowOffTheLearnedRelationScoresByTheModelWithItsWorstFeaturesFirst() {
    ModelSpec m = ModelSpec.from(DenseSpecs.dense(4));
    EntityCombination c = new EntityCombination();
    for (int i = 0; i < 60; i++) {
      EntityModelScoring s = inferred(m, normal(), statistical(0.2), 0.1f * (i % 3), 0, 0);
      double l = c.apply(s);
      assertThat(s.score.score).isEqualTo(Math.max(0.2, l));
      assertThat(s.score.modelVersions).containsEntry(ModelSpec.DENSE_AUTOENCODER, 4L);
    }

    // cpu up (55, z 1) while latency rises (230, z 1.5): the model expected both back on the learned relation
    EntityModelScoring shift = inferred(m, vector(series("cpu", 55, 56), series("latency", 230, 220)),
        statistical(0.2), -0.5f, -1.5f, 0f);
    double l = c.apply(shift);

    assertThat(l).isGreaterThan(0.99);
    assertThat(shift.score.score).isEqualTo(l);
    assertThat(shift.score.warmedUp).isTrue();
    assertThat(shift.score.detector).as("event ids stay stable").isEqualTo("entity-top2");
    assertThat(shift.score.features).extracting(f -> f.feature)
        .containsExactly("latency:mean", "cpu:mean", "latency:max", "latency:p95");
    FeatureScore top = shift.score.features.get(0);
    assertThat(top.observed).isEqualTo(230);
    assertThat(top.expected).isEqualTo(170); // -1.5 * 20 + 200
    assertThat(top.likelihood).isEqualTo(l);
    FeatureScore cpu = shift.score.features.get(1);
    assertThat(cpu.expected).isEqualTo(47.5);
    assertThat(cpu.likelihood).isCloseTo(l * 2.25 / 9, org.assertj.core.api.Assertions.within(1e-12)); // its share
  }

  @Test
  void aStatisticalScoreAboveTheModelsKeepsItsEvidenceAndTheVersionIsStillRecorded() {
    ModelSpec m = ModelSpec.from(DenseSpecs.dense(1));
    EntityModelScoring s = inferred(m, normal(), statistical(0.95), 0, 0, 0);
    new EntityCombination().apply(s);

    assertThat(s.score.score).isEqualTo(0.95);
    assertThat(s.score.features).extracting(f -> f.feature).containsExactly("cpu:mean", "latency:p95");
    assertThat(s.score.modelVersions).containsEntry(ModelSpec.DENSE_AUTOENCODER, 1L);
  }

  @Test
  void anEntityWithoutAStatisticalScoreIsScoredByTheModelAloneAndMissingSeriesAreNotListed() {
    ModelSpec m = ModelSpec.from(DenseSpecs.dense(1));
    EntityCombination c = new EntityCombination();
    for (int i = 0; i < 30; i++) {
      c.apply(inferred(m, normal(), null, 0.01f * (i % 2), 0, 0));
    }
    EntityModelScoring s = inferred(m, vector(series("cpu", 75, 75)), null, 0, 0, 0);
    double l = c.apply(s);

    assertThat(l).isGreaterThan(0.9);
    assertThat(s.score.detector).isEqualTo(ModelSpec.DENSE_AUTOENCODER);
    assertThat(s.score.score).isEqualTo(l);
    assertThat(s.score.features).extracting(f -> f.feature).containsExactly("cpu:mean");
  }

  @Test
  void aNewVersionStartsAFreshErrorHistory() {
    EntityCombination c = new EntityCombination();
    ModelSpec v1 = ModelSpec.from(DenseSpecs.dense(1));
    for (int i = 0; i < 30; i++) {
      c.apply(inferred(v1, normal(), null, 0.01f * (i % 2), 0, 0));
    }
    assertThat(c.apply(inferred(v1, normal(), null, 3, 3, 3))).isGreaterThan(0.9);

    ModelSpec v2 = ModelSpec.from(DenseSpecs.dense(2));
    assertThat(c.apply(inferred(v2, normal(), null, 3, 3, 3))).as("still learning v2's errors").isZero();
    assertThat(c.version()).isEqualTo(2);
  }
}
