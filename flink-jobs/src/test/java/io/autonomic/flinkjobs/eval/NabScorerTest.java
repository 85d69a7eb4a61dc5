package io.autonomic.flinkjobs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NabScorerTest {

  private static final long MIN = 60_000L;

  /** A series of n rows one minute apart with windows given as row-index pairs. */
  private static NabScorer.Series series(String name, int n, double[] scores, int[]... windows) {
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      ts[i] = i * MIN;
    }
    List<long[]> ws = new ArrayList<>();
    for (int[] w : windows) {
      ws.add(new long[] {w[0] * MIN, w[1] * MIN});
    }
    return new NabScorer.Series(name, ts, scores, ws);
  }

  private static double tanh(double x) {
    return Math.tanh(x);
  }

  @Test
  void perfectDetectorScoresHundredAndNullDetectorZeroInEveryProfile() {
    double[] perfectA = new double[100];
    perfectA[40] = 1.0;
    double[] perfectB = new double[200];
    perfectB[60] = 1.0;
    perfectB[150] = 1.0;
    List<NabScorer.Series> corpus = List.of(
        series("a.csv", 100, perfectA, new int[] {40, 49}),
        series("b.csv", 200, perfectB, new int[] {60, 79}, new int[] {150, 169}));
    double[] halfA = new double[100];
    Arrays.fill(halfA, 0.5);
    double[] halfB = new double[200];
    Arrays.fill(halfB, 0.5);
    List<NabScorer.Series> nulls = List.of(
        series("a.csv", 100, halfA, new int[] {40, 49}),
        series("b.csv", 200, halfB, new int[] {60, 79}, new int[] {150, 169}));
    for (NabProfile p : NabProfile.ALL) {
      assertThat(NabScorer.score(corpus, p).normalizedScore()).isCloseTo(100.0, within(1e-9));
      assertThat(NabScorer.score(corpus, p).perfectScore()).isEqualTo(3.0);
      assertThat(NabScorer.score(nulls, p).normalizedScore()).isCloseTo(0.0, within(1e-9));
      assertThat(NabScorer.score(nulls, p).nullScore()).isEqualTo(-3.0 * p.fnWeight());
    }
  }

  @Test
  void detectionInsideWindowEarnsScaledSigmoidAndFalsePositiveBeforeAnyWindowCostsFullWeight() {
    // 20 rows: probation floor(0.15 * 20) = 3 rows; window rows 10..14 (width 5).
    double[] scores = new double[20];
    scores[5] = 0.9; // false positive before any window: -fpWeight
    scores[12] = 0.8; // position -(14 - 12 + 1) / 5 = -0.6
    NabScorer.Series s = series("f.csv", 20, scores, new int[] {10, 14});

    NabScorer.ProfileResult r = NabScorer.score(List.of(s), NabProfile.STANDARD);

    double tp = tanh(1.5) / tanh(2.5); // scaledSigmoid(-0.6) / scaledSigmoid(-1)
    assertThat(r.threshold()).isEqualTo(0.8);
    assertThat(r.rawScore()).isCloseTo(tp - 0.11, within(1e-12));
    assertThat(r.counts().tp()).isEqualTo(1);
    assertThat(r.counts().fp()).isEqualTo(1);
    assertThat(r.counts().fn()).isEqualTo(4);
    // The null detector (0.5 everywhere) does better than -1 on so short a file: at threshold
    // 0.5 it earns the window (1.0) and pays 7 rows before it and 5 just after it.
    double after = 0;
    for (int k = 1; k <= 5; k++) {
      after += tanh(2.5 * k / 4.0);
    }
    double nullScore = 1.0 - 7 * 0.11 - 0.11 * after;
    assertThat(r.nullScore()).isCloseTo(nullScore, within(1e-12));
    assertThat(r.normalizedScore())
        .isCloseTo(100 * (tp - 0.11 - nullScore) / (1.0 - nullScore), within(1e-9));
  }

  @Test
  void onlyTheEarliestDetectionInAWindowCountsAndLaterOnesCostNothing() {
    double[] early = new double[20];
    early[10] = 0.7;
    early[11] = 0.7;
    early[13] = 0.7;
    NabScorer.Series s = series("e.csv", 20, early, new int[] {10, 14});

    assertThat(NabScorer.fileScore(s, NabProfile.STANDARD, 0.7)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void falsePositiveJustAfterAWindowCostsLessThanOneFarAway() {
    double[] near = new double[40];
    near[15] = 1.0; // one row past the window end: position 1 / (5 - 1) = 0.25
    double[] far = new double[40];
    far[35] = 1.0; // 21 rows past: position >= 3, full cost
    NabScorer.Series a = series("n.csv", 40, near, new int[] {10, 14});
    NabScorer.Series b = series("f.csv", 40, far, new int[] {10, 14});

    double nearScore = NabScorer.fileScore(a, NabProfile.STANDARD, 1.0);
    double farScore = NabScorer.fileScore(b, NabProfile.STANDARD, 1.0);

    assertThat(nearScore).isCloseTo(-1.0 - 0.11 * tanh(0.625), within(1e-12));
    assertThat(farScore).isCloseTo(-1.0 - 0.11, within(1e-12));
  }

  @Test
  void rowsInTheProbationaryPeriodAreNotScored() {
    // 100 rows: probation 15 rows; an alarm at row 5 costs nothing.
    double[] scores = new double[100];
    scores[5] = 1.0;
    scores[50] = 1.0;
    NabScorer.Series s = series("p.csv", 100, scores, new int[] {50, 59});

    NabScorer.ProfileResult r = NabScorer.score(List.of(s), NabProfile.REWARD_LOW_FP_RATE);

    assertThat(r.rawScore()).isCloseTo(1.0, within(1e-12));
    assertThat(r.counts().fp()).isZero();
    assertThat(NabScorer.probationaryLength(100_000)).isEqualTo(750);
  }

  @Test
  void thresholdIsChosenOverTheWholeCorpusNotPerFile() {
    // File a wants a low threshold (its anomaly scores 0.3), file b has a false alarm at 0.4:
    // the corpus optimum (0.3) detects a's window and pays b's false alarm.
    double[] a = new double[100];
    a[55] = 0.3;
    double[] b = new double[100];
    b[30] = 0.4;
    List<NabScorer.Series> corpus = List.of(
        series("a.csv", 100, a, new int[] {50, 59}),
        series("b.csv", 100, b));

    NabScorer.ProfileResult r = NabScorer.score(corpus, NabProfile.STANDARD);

    double tp = tanh(2.5 * 5 / 10.0) / tanh(2.5); // position -(59 - 55 + 1) / 10 = -0.5
    assertThat(r.threshold()).isEqualTo(0.3);
    assertThat(r.rawScore()).isCloseTo(tp - 0.11, within(1e-12));
  }

  @Test
  void fileDetailSplitsTheScoreIntoWindowRewardsAndFalsePositiveCost() {
    double[] scores = new double[40];
    scores[20] = 1.0; // false positive before the first window: full cost
    scores[27] = 1.0; // first detection in window [25, 29]: position -(29 - 27 + 1) / 5
    scores[28] = 1.0; // a later detection in the same window: ignored
    NabScorer.Series s = series("d.csv", 40, scores, new int[] {25, 29}, new int[] {33, 36});

    NabScorer.FileDetail d = NabScorer.fileDetail(s, NabProfile.STANDARD, 1.0);

    assertThat(d.falsePositives()).isEqualTo(1);
    assertThat(d.falsePositiveCost()).isCloseTo(-0.11, within(1e-12));
    assertThat(d.windows()).hasSize(2);
    assertThat(d.windows().get(0)).startsWith("[25-29 hit@27 ");
    assertThat(d.windows().get(1)).isEqualTo("[33-36 missed -1.00]");
    assertThat(d.score()).isCloseTo(NabScorer.fileScore(s, NabProfile.STANDARD, 1.0), within(1e-12));
  }
}
