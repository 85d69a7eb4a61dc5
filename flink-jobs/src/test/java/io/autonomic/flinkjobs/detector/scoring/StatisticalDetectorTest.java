package io.autonomic.flinkjobs.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatisticalDetectorTest {

  private static final long STEP = 300_000L; // 5 minutes
  private static final int PER_DAY = 288;
  private static final double ALERT = 0.5;

  private static double[] scoreAll(SeriesScorer s, double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = s.update(i * STEP, values[i]).likelihood();
    }
    return out;
  }

  private static double max(double[] a, int from, int to) {
    double m = 0;
    for (int i = from; i < to; i++) {
      m = Math.max(m, a[i]);
    }
    return m;
  }

  private static int alerts(double[] a, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += a[i] >= ALERT ? 1 : 0;
    }
    return n;
  }

  private static double[] noise(int n, double level, double sd, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = level + sd * r.nextGaussian();
    }
    return v;
  }

  @Test
  void spikeFiresAtTheSpikeAndNotBefore() {
    double[] v = noise(2000, 100, 2, 1);
    v[1500] = 160;

    double[] s = scoreAll(Scorers.create("combined"), v);

    assertThat(s[1500]).isGreaterThan(0.8).isGreaterThan(max(s, 300, 1500));
    // The extreme component (like HTM's spatial anomaly) may flag a rare new record of the noise.
    assertThat(alerts(s, 300, 1500)).isLessThanOrEqualTo(3);
  }

  @Test
  void levelShiftFiresWithinAFewPoints() {
    double[] v = noise(2000, 50, 1, 2);
    for (int i = 1200; i < v.length; i++) {
      v[i] += 8;
    }

    double[] s = scoreAll(Scorers.create("combined"), v);

    assertThat(max(s, 1200, 1212)).isGreaterThan(0.7);
    assertThat(alerts(s, 300, 1200)).isLessThanOrEqualTo(3);
  }

  @Test
  void dailySeasonalSeriesStaysQuietAfterWarmUp() {
    int n = PER_DAY * 10;
    double[] v = noise(n, 0, 1, 3);
    for (int i = 0; i < n; i++) {
      v[i] += 40 + 20 * Math.sin(2 * Math.PI * i / PER_DAY);
    }

    double[] s = scoreAll(Scorers.create("combined"), v);

    assertThat(max(s, PER_DAY * 2, n)).isLessThan(ALERT);
  }

  @Test
  void frequencyChangeInsideTheUsualRangeIsDetectedByTheDynamicsComponent() {
    int n = 3000;
    double[] v = noise(n, 0, 0.2, 4);
    for (int i = 0; i < n; i++) {
      double period = i < 2000 ? 100 : 10;
      v[i] += 10 * Math.sin(2 * Math.PI * i / period);
    }

    double[] s = scoreAll(Scorers.create("dynamics"), v);

    assertThat(max(s, 2000, 2050)).isGreaterThan(ALERT);
    assertThat(max(s, 500, 1990)).isLessThan(ALERT);
  }

  @Test
  void scoresOfAPrefixDoNotDependOnLaterPoints() {
    double[] v = noise(1500, 10, 3, 5);
    double[] prefix = java.util.Arrays.copyOf(v, 900);

    double[] full = scoreAll(Scorers.create("combined"), v);
    double[] partial = scoreAll(Scorers.create("combined"), prefix);

    assertThat(java.util.Arrays.copyOf(full, 900)).containsExactly(partial);
  }

  @Test
  void missingValuesScoreZeroAndLeaveTheModelUnchanged() {
    double[] v = noise(1200, 10, 1, 6);
    SeriesScorer with = Scorers.create("combined");
    SeriesScorer without = Scorers.create("combined");
    for (int i = 0; i < 1000; i++) {
      with.update(i * STEP, v[i]);
      without.update(i * STEP, v[i]);
    }
    assertThat(with.update(1000 * STEP, Double.NaN).likelihood()).isZero();
    for (int i = 1001; i < 1200; i++) {
      assertThat(with.update(i * STEP, v[i])).isEqualTo(without.update(i * STEP, v[i]));
    }
  }

  @Test
  void stateSurvivesJavaSerializationMidStream() throws Exception {
    double[] v = noise(1500, 10, 3, 7);
    v[1300] = 60;
    SeriesScorer original = Scorers.create("combined");
    for (int i = 0; i < 1000; i++) {
      original.update(i * STEP, v[i]);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(original);
    }
    SeriesScorer copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SeriesScorer) in.readObject();
    }
    for (int i = 1000; i < 1500; i++) {
      assertThat(copy.update(i * STEP, v[i])).isEqualTo(original.update(i * STEP, v[i]));
    }
  }

  @Test
  void everyComponentRunsAloneAndUnknownNamesAreRejected() {
    double[] v = noise(600, 10, 1, 8);
    for (String name : Scorers.names()) {
      SeriesScorer s = Scorers.create(name);
      assertThat(s.name()).isEqualTo(name);
      assertThat(s.modelVersion()).isEqualTo(Scorers.VERSION);
      for (double d : scoreAll(s, v)) {
        assertThat(d).isBetween(0.0, 1.0);
      }
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scorers.create("lstm-x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("valid: combined");
  }

  private static SeriesScorer seasonalAndExtreme(double extremeGateSpreads) {
    return new CombinedScorer(
        "combined",
        Scorers.VERSION,
        List.of(Scorers.component("seasonal"), Scorers.component("extreme")),
        Scorers.SUPPRESS_POINTS,
        Scorers.SUPPRESS_FACTOR,
        extremeGateSpreads);
  }

  @Test
  void aDailyPeakSlightlyAboveEveryEarlierOneIsNotAnAnomalyButASpikeAtAQuietHourIs() {
    int days = 14;
    Random r = new Random(7);
    double[] v = new double[PER_DAY * days];
    for (int i = 0; i < v.length; i++) {
      double hour = (i % PER_DAY) * 24.0 / PER_DAY;
      double peak = 100 + 2.0 * (i / PER_DAY); // each day's afternoon peak a little higher
      v[i] = 10 + peak * Math.exp(-Math.pow(hour - 15, 2) / 8) + r.nextGaussian();
    }
    int spike = PER_DAY * 12 + PER_DAY / 8; // 3 am
    v[spike] = 200;

    double[] gated = scoreAll(seasonalAndExtreme(Scorers.EXTREME_GATE_SPREADS), v);
    double[] ungated = scoreAll(seasonalAndExtreme(0), v);

    int from = PER_DAY * 4;
    assertThat(alerts(ungated, from, spike)).isGreaterThan(alerts(gated, from, spike));
    assertThat(gated[spike]).isGreaterThan(0.8);
  }
}
