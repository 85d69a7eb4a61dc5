package io.autonomic.flinkjobs.detector.anomaly;

import io.autonomic.flinkjobs.detector.scoring.SeriesScorer;
import java.io.Serializable;

/** Creates a fresh {@link SeriesScorer} for a feature the detector has not seen before. Shipped with the job. */
@FunctionalInterface
public interface ScorerFactory extends Serializable {
  SeriesScorer create();
}
