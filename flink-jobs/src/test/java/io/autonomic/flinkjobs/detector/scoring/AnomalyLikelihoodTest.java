package io.autonomic.flinkjobs.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyLikelihoodTest {

  @Test
  void tailProbabilitiesOfGaussianErrorsAreRoughlyUniform() {
    AnomalyLikelihood l = new AnomalyLikelihood(1, 200, 2000, 50, 1e-6);
    Random r = new Random(11);
    int n = 20_000;
    int below10 = 0;
    int below1 = 0;
    int alerts = 0;
    double s10 = AnomalyLikelihood.logScaled(1.2815516); // Q = 0.10
    double s1 = AnomalyLikelihood.logScaled(2.3263479); // Q = 0.01
    for (int i = 0; i < n; i++) {
      double score = l.update(5 + r.nextGaussian());
      if (i >= 2000) {
        below10 += score >= s10 ? 1 : 0;
        below1 += score >= s1 ? 1 : 0;
        alerts += score >= 0.5 ? 1 : 0;
      }
    }
    int scored = n - 2000;
    assertThat(below10 / (double) scored).isCloseTo(0.10, within(0.02));
    assertThat(below1 / (double) scored).isCloseTo(0.01, within(0.005));
    assertThat(alerts).isLessThanOrEqualTo(3); // Q < 1e-5: 0.18 expected in 18000 points
  }

  @Test
  void sameRelativeSurpriseGivesTheSameLikelihoodWhateverTheScale() {
    AnomalyLikelihood small = new AnomalyLikelihood(1, 100, 1000, 50, 1e-9);
    AnomalyLikelihood large = new AnomalyLikelihood(1, 100, 1000, 50, 1e-9);
    Random r = new Random(12);
    for (int i = 0; i < 500; i++) {
      double g = r.nextGaussian();
      small.update(1 + 0.01 * g);
      large.update(1000 + 10 * g);
    }
    assertThat(small.update(1 + 0.01 * 6)).isCloseTo(large.update(1000 + 10 * 6), within(1e-6));
  }

  @Test
  void learnsBeforeJudgingAndIgnoresMissingErrors() {
    AnomalyLikelihood l = new AnomalyLikelihood(1, 50, 500, 10, 0.1);
    for (int i = 0; i < 50; i++) {
      assertThat(l.update(i == 30 ? 1000 : 1)).isZero();
    }
    assertThat(l.update(Double.NaN)).isZero();
    assertThat(l.seen()).isEqualTo(50);
  }

  @Test
  void logScaleIsMonotoneAndDoesNotSaturate() {
    assertThat(AnomalyLikelihood.logScaled(-1)).isZero();
    assertThat(AnomalyLikelihood.logScaled(4.2648908)).isCloseTo(1 - Math.exp(-5 / 7.0),
        within(1e-4)); // Q = 1e-5
    assertThat(AnomalyLikelihood.logScaled(30)).isLessThan(1.0)
        .isGreaterThan(AnomalyLikelihood.logScaled(20));
    assertThat(AnomalyLikelihood.logScaled(8.01)).isGreaterThan(AnomalyLikelihood.logScaled(7.99));
  }
}
