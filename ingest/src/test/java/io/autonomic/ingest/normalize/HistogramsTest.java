package io.autonomic.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistogramsTest {
  private static Histograms.Buckets buckets(double[] bounds, double... counts) {
    return new Histograms.Buckets(bounds, counts);
  }

  private static final double[] BOUNDS = {0.1, 0.5, 1.0};

  @Test
  void quantilesInterpolateInsideTheBucketLikeHistogramQuantile() {
    Histograms.Buckets b = buckets(BOUNDS, 50, 40, 10, 0);
    assertThat(Histograms.quantile(b, 0.5)).isCloseTo(0.1, within(1e-9));
    assertThat(Histograms.quantile(b, 0.25)).isCloseTo(0.05, within(1e-9));
    assertThat(Histograms.quantile(b, 0.7)).isCloseTo(0.3, within(1e-9));
    assertThat(Histograms.quantile(b, 0.95)).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void theOpenBucketAnswersWithTheHighestBound() {
    assertThat(Histograms.quantile(buckets(BOUNDS, 0, 0, 1, 9), 0.99)).isEqualTo(1.0);
  }

  @Test
  void emptyHistogramHasNoQuantile() {
    assertThat(Histograms.quantile(buckets(BOUNDS, 0, 0, 0, 0), 0.5)).isNaN();
  }

  @Test
  void cumulativeHistogramsAreDifferencedPerInterval() {
    Histograms h = new Histograms();
    assertThat(h.cumulative("s", buckets(BOUNDS, 100, 0, 0, 0), 5, 0, 1)).isEmpty();
    Histograms.Interval i = h.cumulative("s", buckets(BOUNDS, 100, 0, 10, 0), 12, 10_000, 1).orElseThrow();
    assertThat(i.count()).isEqualTo(10);
    assertThat(i.ratePerSecond()).isEqualTo(1.0);
    assertThat(i.sum()).isEqualTo(7);
    // the interval only saw slow requests, although the lifetime histogram is mostly fast ones
    assertThat(Histograms.quantile(i.buckets(), 0.5)).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void aRestartPrimesAgain() {
    Histograms h = new Histograms();
    h.cumulative("s", buckets(BOUNDS, 100, 0, 0, 0), 5, 0, 1);
    assertThat(h.cumulative("s", buckets(BOUNDS, 3, 0, 0, 0), 1, 10_000, 1)).isEmpty();
    assertThat(h.cumulative("s", buckets(BOUNDS, 5, 0, 0, 0), 1, 20_000, 1)).isPresent();
    assertThat(h.cumulative("s", buckets(BOUNDS, 9, 0, 0, 0), 1, 30_000, 25_000)).isEmpty();
  }
}
