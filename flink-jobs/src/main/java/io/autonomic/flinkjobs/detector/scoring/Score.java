package io.autonomic.flinkjobs.detector.scoring;

import java.io.Serializable;

/**
 * The result of scoring one point.
 *
 * @param raw the component's raw error (>= 0; NaN while the component is still learning)
 * @param likelihood the calibrated anomaly likelihood in [0, 1]: how unusual the raw error is
 *     for this series' own recent error history (0.5 or less is ordinary)
 * @param expected the value the component expected at this point (NaN if it has no opinion)
 */
public record Score(double raw, double likelihood, double expected) implements Serializable {

  /** A score for a point the component cannot judge (missing value, still learning). */
  public static Score none(double expected) {
    return new Score(Double.NaN, 0.0, expected);
  }
}
