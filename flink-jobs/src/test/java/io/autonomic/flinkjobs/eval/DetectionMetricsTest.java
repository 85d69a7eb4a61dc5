package io.autonomic.flinkjobs.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionMetricsTest {

  @Test
  void countsPointsWindowsAndRunsOfFalseAlarms() {
    int n = 100; // probation 15 rows
    long[] ts = new long[n];
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = i * 1000L;
    }
    scores[30] = 1; // false alarm run 1
    scores[31] = 1;
    scores[70] = 1; // one row inside window 60..79
    scores[90] = 1; // false alarm run 2
    NabScorer.Series s = new NabScorer.Series("m.csv", ts, scores,
        List.of(new long[] {60_000L, 79_000L}));

    DetectionMetrics.Result r = DetectionMetrics.compute(List.of(s), 0.5);

    assertThat(r.pointTp()).isEqualTo(1);
    assertThat(r.pointFp()).isEqualTo(3);
    assertThat(r.pointFn()).isEqualTo(19);
    assertThat(r.windowsDetected()).isEqualTo(1);
    assertThat(r.falseAlarms()).isEqualTo(2);
    assertThat(r.eventRecall()).isEqualTo(1.0);
    assertThat(r.eventPrecision()).isEqualTo(1.0 / 3);
  }
}
