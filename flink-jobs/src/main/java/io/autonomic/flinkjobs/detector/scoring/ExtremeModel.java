package io.autonomic.flinkjobs.detector.scoring;

/**
 * New extremes, as NAB's HTM detector's "spatial anomaly": a value beyond the range of the last
 * {@code window} values by more than {@code tolerance} of that range. The error is the excess in
 * units of the range; 0 inside the range.
 */
public final class ExtremeModel implements RawErrorModel {

  private static final long serialVersionUID = 1L;

  private final SlidingExtremes values;
  private final int warmup;
  private final double tolerance;

  public ExtremeModel(int window, int warmup, double tolerance) {
    this.values = new SlidingExtremes(window);
    this.warmup = warmup;
    this.tolerance = tolerance;
  }

  @Override
  public String name() {
    return "extreme";
  }

  @Override
  public RawError observe(long eventTimeMillis, double value) {
    RawError out;
    if (values.size() < warmup) {
      out = new RawError(Double.NaN, value);
    } else {
      double lo = values.min();
      double hi = values.max();
      double range = Math.max(hi - lo, 1e-9 * Math.max(1.0, Math.abs(hi)));
      double excess = Math.max(value - hi, lo - value) - tolerance * range;
      double error = excess > 0 ? RobustScale.compress(excess / range) + 1.0 : 0.0;
      out = new RawError(error, Math.min(Math.max(value, lo), hi));
    }
    values.add(value);
    return out;
  }
}
