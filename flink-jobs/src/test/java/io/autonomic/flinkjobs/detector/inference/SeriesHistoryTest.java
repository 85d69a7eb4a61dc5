package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import org.junit.jupiter.api.Test;

class SeriesHistoryTest {
  private static double[] window(double mean, double max) {
    SeriesFeatures f = new SeriesFeatures();
    f.mean = mean;
    f.max = max;
    return f.values();
  }

  @Test
  void theSequenceIsTheNewestWindowsScaledInNcwOrderOldestFirst() {
    ModelSpec spec = ModelSpec.from(Specs.lstm("k", 1));
    SeriesHistory h = new SeriesHistory(4);
    h.add(window(0, 0)); // dropped: only the newest 3 are the sequence
    h.add(window(10, 20));
    h.add(window(12, 24));
    h.add(window(14, 28));

    float[] out = new float[spec.cells()];
    assertThat(h.sequence(spec, out, 0)).isTrue();

    // feature 0 (mean) at steps 0..2, then feature 1 (max) at steps 0..2
    assertThat(out).containsExactly(0f, 1f, 2f, 0f, 1f, 2f);
  }

  @Test
  void noSequenceUntilNWindowsAreKept() {
    ModelSpec spec = ModelSpec.from(Specs.lstm("k", 1));
    SeriesHistory h = new SeriesHistory(3);
    h.add(window(10, 20));
    h.add(window(10, 20));

    assertThat(h.sequence(spec, new float[spec.cells()], 0)).isFalse();
  }

  @Test
  void scaledValuesAreClampedAtTen() {
    ModelSpec spec = ModelSpec.from(Specs.lstm("k", 1));
    SeriesHistory h = new SeriesHistory(3);
    for (int i = 0; i < 3; i++) {
      h.add(window(10 + 2 * 1000, 20 - 4 * 1000));
    }
    float[] out = new float[spec.cells()];
    h.sequence(spec, out, 0);
    assertThat(out).containsExactly(10f, 10f, 10f, -10f, -10f, -10f);
  }

  @Test
  void aRingThatWrapsAndThenGrowsKeepsItsOrder() {
    SeriesHistory h = new SeriesHistory(2);
    h.add(window(1, 0));
    h.add(window(2, 0));
    h.add(window(3, 0));
    h.ensureCapacity(4);
    h.add(window(4, 0));
    h.add(window(5, 0));

    int mean = 1;
    assertThat(h.size).isEqualTo(4);
    assertThat(new double[] {h.get(0, mean), h.get(1, mean), h.get(2, mean), h.get(3, mean)})
        .containsExactly(2, 3, 4, 5);
  }
}
