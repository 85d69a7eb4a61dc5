package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.flinkjobs.detector.scoring.AnomalyLikelihood;
import io.autonomic.flinkjobs.detector.scoring.Score;
import io.autonomic.flinkjobs.detector.scoring.Scorers;
import io.autonomic.flinkjobs.detector.scoring.SeriesScorer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LstmSeriesScorerTest {
  @Test
  void learnsFromThePastOnlyAndScoresASpikeAboveTheNormalPoints() {
    LstmSeriesScorer scorer = new LstmSeriesScorer(new ModelTrainer.Settings(8, 8, 6, 128, 0.01, 2, 0.1, 300, 1),
        150, 300, 2, 400, new AnomalyLikelihood(1, 50, 500, 25, 0.1));
    Random r = new Random(4);
    double maxNormal = 0;
    Score spike = null;
    for (int i = 0; i < 420; i++) {
      double v = 10 + 5 * Math.sin(2 * Math.PI * i / 24) + r.nextGaussian() * 0.3;
      if (i < 150) {
        // no model before the first training: nothing is scored
        assertThat(scorer.update(i * 300_000L, v).likelihood()).isZero();
        continue;
      }
      if (i == 410) {
        spike = scorer.update(i * 300_000L, v + 15);
        continue;
      }
      Score s = scorer.update(i * 300_000L, v);
      if (i > 260) {
        maxNormal = Math.max(maxNormal, s.likelihood());
      }
    }
    assertThat(scorer.trainings()).isEqualTo(2); // after 150 and 300 points
    assertThat(spike.likelihood()).isGreaterThan(0.5).isGreaterThan(maxNormal);
    assertThat(scorer.update(0, Double.NaN).likelihood()).isZero();
  }

  @Test
  void isRegisteredAsTheLstmDetector() {
    SeriesScorer s = Scorers.create("lstm");
    assertThat(s.name()).isEqualTo("lstm");
    assertThat(s.modelVersion()).isEqualTo(LstmSeriesScorer.VERSION);
  }
}
