package io.autonomic.flinkjobs.detector.scoring;

import java.io.Serializable;

/**
 * A model that predicts a series point and reports how far the observed value is from the
 * prediction, in units of the series' own spread. {@link CalibratedScorer} turns its errors into
 * a likelihood; statistical models, DL4J LSTM next-step predictors and autoencoders all plug in
 * here with the same calibration.
 */
public interface RawErrorModel extends Serializable {

  /** Component name (e.g. {@code level}, {@code seasonal}). */
  String name();

  /**
   * Computes the error of {@code value} against the model fitted to earlier points, then learns
   * from the point. Returns {@code error} NaN while the model is not ready.
   */
  RawError observe(long eventTimeMillis, double value);

  /**
   * A raw error (>= 0, NaN while warming up), the value the model expected, and the weight of
   * its calibrated likelihood: 1, or 0 when the model recognises the point as a recurrence it has
   * already seen (the error still feeds the likelihood's history).
   */
  record RawError(double error, double expected, double weight) implements Serializable {

    public RawError(double error, double expected) {
      this(error, expected, 1.0);
    }
  }
}
