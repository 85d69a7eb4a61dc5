package io.autonomic.flinkjobs.detector.scoring;

/** Robust spread estimates of a {@link SlidingWindow}. */
final class RobustScale {

  private RobustScale() {}

  /**
   * A standard-deviation-like spread: IQR / 1.349, falling back to the 5-95% range / 3.29 and
   * then to a tiny fraction of the magnitude for (nearly) constant series, so it is never 0.
   */
  static double of(SlidingWindow w) {
    double iqr = (w.quantile(0.75) - w.quantile(0.25)) / 1.349;
    double wide = (w.quantile(0.95) - w.quantile(0.05)) / 3.29;
    double full = (w.max() - w.min()) / 6.0;
    double magnitude = Math.max(Math.abs(w.max()), Math.abs(w.min()));
    double floor = Math.max(1e-9, 1e-3 * magnitude);
    return Math.max(Math.max(iqr, 0.5 * wide), Math.max(0.1 * full, floor));
  }

  /** Compresses an error measured in spreads, so that rare huge errors do not dominate. */
  static double compress(double spreads) {
    return Math.log1p(Math.abs(spreads));
  }
}
