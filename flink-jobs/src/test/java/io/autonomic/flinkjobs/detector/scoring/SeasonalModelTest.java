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

  private static SeriesScorer seasonalWithMemory(int slotMemory) {
    return new CalibratedScorer(
        new SeasonalModel(48, 0.1, 1000, 30, 2.5, slotMemory),
        new AnomalyLikelihood(1, 100, 2000, 50, 0.1),
        "test");
  }

  @Test
  void aLevelTheSlotAlreadyTookOnAnEarlierDayIsARecurrenceNotAnAnomaly() {
    Random r = new Random(24);
    double[] v = new double[PER_DAY * DAYS];
    for (int i = 0; i < v.length; i++) {
      v[i] = 30 + r.nextGaussian();
    }
    int evening = PER_DAY * 3 / 4; // 6 pm
    int first = PER_DAY * 5 + evening;
    int again = PER_DAY * 9 + evening;
    int elsewhere = PER_DAY * 9 + PER_DAY / 4; // 6 am, never at 100 before
    v[first] = 100;
    v[again] = 100;
    v[elsewhere] = 100;

    double[] remembering = scoreAll(seasonalWithMemory(48), v);
    double[] forgetting = scoreAll(seasonalWithMemory(0), v);

    assertThat(remembering[first]).isGreaterThan(0.8);
    assertThat(forgetting[again]).isGreaterThan(0.3); // the mean profile has forgotten it
    assertThat(remembering[again]).isZero();
    assertThat(remembering[elsewhere]).isGreaterThan(0.8);
    assertThat(alerts(remembering, PER_DAY * 3, v.length)).isEqualTo(2);
  }

  @Test
  void aLevelIsOnlyARecurrenceIfTheSlotTookItOnAnEarlierDay() {
    Random r = new Random(25);
    SeasonalModel model = new SeasonalModel(48, 0.1, 1000, 30, 2.5, 144);
    long step = 86_400_000L / PER_DAY;
    int evening = PER_DAY * 3 / 4;
    int first = PER_DAY * 5 + evening;
    int sameSlotLater = first + 1; // 5 minutes later: same 30-minute slot, same day
    int later = first + 3 * PER_DAY;
    double[] weight = new double[PER_DAY * 9];
    double[] error = new double[weight.length];
    for (int i = 0; i < weight.length; i++) {
      double v = i == first || i == sameSlotLater || i == later ? 100 : 30 + r.nextGaussian();
      RawErrorModel.RawError e = model.observe(i * step, v);
      weight[i] = e.weight();
      error[i] = e.error();
    }

    double surprise = Math.log1p(SeasonalModel.SURPRISE_SPREADS);
    assertThat(error[first]).isGreaterThan(surprise);
    assertThat(weight[first]).isEqualTo(1.0);
    assertThat(error[sameSlotLater]).isGreaterThan(surprise);
    assertThat(weight[sameSlotLater]).isEqualTo(1.0); // its own day is no precedent
    assertThat(error[later]).isGreaterThan(surprise);
    assertThat(weight[later]).isZero();
  }
}
