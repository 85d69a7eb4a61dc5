package io.autonomic.flinkjobs.detector.anomaly;

/** How unusual one feature of one window was: a Flink POJO. */
public class FeatureScore {
  public String feature;
  public double observed;
  /** What the scorer expected; NaN when it had no opinion. */
  public double expected;
  /** Calibrated likelihood in [0,1]. */
  public double likelihood;

  public FeatureScore() {}

  public FeatureScore(String feature, double observed, double expected, double likelihood) {
    this.feature = feature;
    this.observed = observed;
    this.expected = expected;
    this.likelihood = likelihood;
  }

  @Override
  public String toString() {
    return feature + "=" + observed + " (expected " + expected + ", likelihood " + likelihood + ")";
  }
}
