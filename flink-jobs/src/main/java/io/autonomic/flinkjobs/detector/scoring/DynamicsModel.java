package io.autonomic.flinkjobs.detector.scoring;

/**
 * Changes in the dynamics: the step from the previous value against the distribution of recent
 * steps. Catches frequency and volatility changes that stay inside the usual value range, and
 * sudden jumps. Expected value: the previous value plus the median step.
 */
public final class DynamicsModel implements RawErrorModel {

  private static final long serialVersionUID = 1L;

  private final SlidingWindow steps;
  private final int warmup;
  private double previous = Double.NaN;

  public DynamicsModel(int window, int warmup) {
    this.steps = new SlidingWindow(window);
    this.warmup = warmup;
  }

  @Override
  public String name() {
    return "dynamics";
  }

  @Override
  public RawError observe(long eventTimeMillis, double value) {
    if (Double.isNaN(previous)) {
      previous = value;
      return new RawError(Double.NaN, value);
    }
    double step = value - previous;
    RawError out;
    if (steps.size() < warmup) {
      out = new RawError(Double.NaN, previous);
    } else {
      double median = steps.median();
      out =
          new RawError(
              RobustScale.compress((step - median) / RobustScale.of(steps)), previous + median);
    }
    steps.add(step);
    previous = value;
    return out;
  }
}
