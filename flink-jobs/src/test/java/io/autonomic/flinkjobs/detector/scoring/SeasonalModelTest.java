package io.autonomic.flinkjobs.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeasonalModelTest {

  private static final long STEP = 300_000L; // 5 minutes
  private static final int PER_DAY = 288;
  private static final double ALERT = 0.5;
  private static final int DAYS = 12;

  /**
   * A steady level whose noise is 20 times larger during a daily three-hour busy period
   * (noon to 3 pm) than during the rest of the day.
   */
  private static double[] busyHours(long seed) {
    Random r = new Random(seed);
    double[] v = new double[PER_DAY * DAYS];
    for (int i = 0; i < v.length; i++) {
      int t = i % PER_DAY;
      boolean busy = t >= PER_DAY / 2 && t < PER_DAY / 2 + PER_DAY / 8;
      v[i] = 100 + (busy ? 20 : 1) * r.nextGaussian();
    }
    return v;
  }

  private static SeriesScorer seasonal(double slotScaleFactor) {
    return new CalibratedScorer(
        new SeasonalModel(48, 0.1, 1000, 30, slotScaleFactor),
        new AnomalyLikelihood(1, 100, 2000, 50, 0.1),
        "test");
  }

  private static double[] scoreAll(SeriesScorer s, double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = s.update(i * STEP, values[i]).likelihood();
    }
    return out;
  }

  private static int alerts(double[] a, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += a[i] >= ALERT ? 1 : 0;
    }
    return n;
  }

  @Test
  void busyHourNoiseDoesNotAlarmAndAQuietHourDeviationStandsOut() {
    double[] v = busyHours(22);
    int quiet = PER_DAY * 10 + PER_DAY / 8; // 3 am on day 10
    v[quiet] += 15; // 15 night-time sigmas, less than the busy hours' usual swing

    double[] withSlotSpread = scoreAll(seasonal(2.5), v);
    double[] globalSpreadOnly = scoreAll(seasonal(0.0), v);

    assertThat(withSlotSpread[quiet]).isGreaterThan(0.8);
    // One spread for the whole day is inflated by the busy hours, which hides the night deviation.
    assertThat(globalSpreadOnly[quiet]).isLessThan(ALERT);
    assertThat(alerts(withSlotSpread, PER_DAY * 3, v.length)).isEqualTo(1);
  }

  @Test
  void levelShiftOfTheWholeProfileIsDetectedByTheCombinedDetector() {
    double[] v = busyHours(23);
    int shift = PER_DAY * 10 + PER_DAY * 3 / 4;
    for (int i = shift; i < v.length; i++) {
      v[i] -= 30;
    }

    double[] s = scoreAll(Scorers.create("combined"), v);

    double max = 0;
    for (int i = shift; i < shift + 12; i++) {
      max = Math.max(max, s[i]);
    }
    assertThat(max).isGreaterThan(0.7);
  }
}
