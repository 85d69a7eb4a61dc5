package io.autonomic.flinkjobs.detector.anomaly;

import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores an entity's joined window from its series' scores: the mean of the {@value #TOP_K} highest series
 * scores. One series alone cannot push it over the threshold (its own series-level event reports it), while
 * several metrics of one entity drifting together can, which is the anomaly no single series shows.
 */
public final class EntityScoring {
  public static final int TOP_K = 2;
  public static final String DETECTOR = "entity-top2";

  private EntityScoring() {}

  /** Null when the entity has fewer than two scored series in the window (nothing to add to the series). */
  public static WindowScore score(EntityVector v) {
    List<Double> scores = new ArrayList<>();
    List<FeatureScore> features = new ArrayList<>();
    WindowScore result = new WindowScore();
    result.detector = DETECTOR;
    result.warmedUp = true;
    for (SeriesFeatures s : v.series) {
      if (s.score == null) {
        continue;
      }
      result.warmedUp &= s.score.warmedUp;
      scores.add(s.score.score);
      s.score.modelVersions.forEach((k, ver) -> result.modelVersions.put(s.metric + "/" + k, ver));
      for (FeatureScore f : s.score.features) {
        features.add(new FeatureScore(s.metric + ":" + f.feature, f.observed, f.expected, f.likelihood));
      }
    }
    if (scores.size() < 2) {
      return null;
    }
    scores.sort(Comparator.reverseOrder());
    double sum = 0;
    for (int i = 0; i < TOP_K; i++) {
      sum += scores.get(i);
    }
    features.sort(Comparator.comparingDouble((FeatureScore f) -> f.likelihood).reversed());
    result.features = features;
    result.score = result.warmedUp ? sum / TOP_K : 0;
    return result;
  }
}
