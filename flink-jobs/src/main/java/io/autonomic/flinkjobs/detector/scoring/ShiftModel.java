package io.autonomic.flinkjobs.detector.scoring;

/**
 * Level shifts and trend breaks: the median of the last {@code shortWindow} values against the
 * median and spread of the {@code longWindow} values before them, scaled by sqrt(shortWindow)
 * as for a mean of that many points.
 */
public final class ShiftModel implements RawErrorModel {

  private static final long serialVersionUID = 1L;

  private final SlidingWindow recent;
  private final SlidingWindow reference;
  private final int warmup;

  public ShiftModel(int shortWindow, int longWindow, int warmup) {
    this.recent = new SlidingWindow(shortWindow);
    this.reference = new SlidingWindow(longWindow);
    this.warmup = warmup;
  }

  @Override
  public String name() {
    return "shift";
  }

  @Override
  public RawError observe(long eventTimeMillis, double value) {
    if (recent.isFull()) {
      reference.add(recent.recent(recent.size() - 1));
    }
    recent.add(value);
    if (reference.size() < warmup) {
      return new RawError(Double.NaN, value);
    }
    double base = reference.median();
    double shift = (recent.median() - base) / RobustScale.of(reference);
    return new RawError(
        RobustScale.compress(shift * Math.sqrt(recent.size()) / 2.0), base);
  }
}
