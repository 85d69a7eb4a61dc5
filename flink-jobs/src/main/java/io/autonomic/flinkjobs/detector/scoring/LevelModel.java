package io.autonomic.flinkjobs.detector.scoring;

/**
 * Point outliers against a robust local baseline: the median of the last {@code window} values,
 * with a robust spread (IQR based). Follows level shifts and trends once they fill half the window.
 */
public final class LevelModel implements RawErrorModel {

  private static final long serialVersionUID = 1L;

  private final SlidingWindow values;
  private final int warmup;

  public LevelModel(int window, int warmup) {
    this.values = new SlidingWindow(window);
    this.warmup = warmup;
  }

  @Override
  public String name() {
    return "level";
  }

  @Override
  public RawError observe(long eventTimeMillis, double value) {
    RawError out;
    if (values.size() < warmup) {
      out = new RawError(Double.NaN, values.size() == 0 ? value : values.median());
    } else {
      double median = values.median();
      out = new RawError(RobustScale.compress((value - median) / RobustScale.of(values)), median);
    }
    values.add(value);
    return out;
  }
}
