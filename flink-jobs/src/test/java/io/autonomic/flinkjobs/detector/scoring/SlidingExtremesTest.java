package io.autonomic.flinkjobs.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SlidingExtremesTest {

  private static void assertMatchesBruteForce(double[] v, int window) {
    SlidingExtremes e = new SlidingExtremes(window);
    for (int i = 0; i < v.length; i++) {
      e.add(v[i]);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int k = Math.max(0, i - window + 1); k <= i; k++) {
        lo = Math.min(lo, v[k]);
        hi = Math.max(hi, v[k]);
      }
      assertThat(e.min()).as("min at %d", i).isEqualTo(lo);
      assertThat(e.max()).as("max at %d", i).isEqualTo(hi);
      assertThat(e.size()).isEqualTo(Math.min(i + 1, window));
    }
  }

  @Test
  void extremesOfNoisyValuesWithTiesMatchTheBruteForce() {
    Random r = new Random(31);
    double[] v = new double[3000];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.round(10 * r.nextGaussian()) / 2.0;
    }
    assertMatchesBruteForce(v, 1);
    assertMatchesBruteForce(v, 50);
    assertMatchesBruteForce(v, 700);
  }

  @Test
  void aMonotoneRunLongerThanTheDequeGrowsItAndStillEvictsByAge() {
    double[] v = new double[1200];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 600 ? 1000 - i : i; // falls for 600 points (600 live maxima), then rises
    }
    assertMatchesBruteForce(v, 500);
  }
}
