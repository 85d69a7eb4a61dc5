package io.autonomic.flinkjobs.detector.anomaly;

import io.autonomic.flinkjobs.detector.scoring.Score;
import io.autonomic.flinkjobs.detector.scoring.SeriesScorer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring state of one series: one {@link SeriesScorer} per window feature, fed the feature's value once per
 * window in event-time order. A window's score is the largest feature likelihood (the features of one series move
 * together, so a real change moves several of them); the score combines the two highest feature likelihoods so
 * that one noisy feature cannot raise an alarm alone unless it is extreme (see {@link #combine}). The features,
 * ranked by likelihood, are the evidence.
 */
public final class FeatureScorers implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, SeriesScorer> byFeature = new HashMap<>();
  private long windows;

  /** Scores one window's features, then learns from them. {@code windowEnd} is the event time passed on. */
  public WindowScore score(ScorerFactory factory, int warmupWindows, long windowEnd, String[] names,
      double[] values) {
    windows++;
    WindowScore result = new WindowScore();
    List<FeatureScore> features = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      SeriesScorer scorer = byFeature.computeIfAbsent(names[i], n -> factory.create());
      Score s = scorer.update(windowEnd, values[i]);
      double likelihood = Double.isNaN(s.likelihood()) ? 0 : Math.max(0, Math.min(1, s.likelihood()));
      features.add(new FeatureScore(names[i], values[i], s.expected(), likelihood));
      if (result.detector == null) {
        result.detector = scorer.name();
        result.modelVersions.put(scorer.name(), version(scorer.modelVersion()));
      }
    }
    features.sort(Comparator.comparingDouble((FeatureScore f) -> f.likelihood).reversed());
    result.features = features;
    result.warmedUp = windows > warmupWindows;
    result.score = result.warmedUp ? combine(features) : 0;
    return result;
  }

  /**
   * A lone feature must be far more certain than two agreeing ones: its likelihood counts raised to this power
   * (0.9943 reaches 0.75). Measured on DetectorJobITCase's scenarios: noise put single features of clean series at
   * up to 0.986, a frequency change put the window's std alone at 0.9998.
   */
  static final int SINGLE_FEATURE_EXPONENT = 50;

  /**
   * The larger of the mean of the two highest likelihoods and the highest one raised to
   * {@link #SINGLE_FEATURE_EXPONENT}; {@code ranked} is sorted, highest first.
   */
  static double combine(List<FeatureScore> ranked) {
    if (ranked.isEmpty()) {
      return 0;
    }
    if (ranked.size() == 1) {
      return ranked.get(0).likelihood;
    }
    double top = ranked.get(0).likelihood;
    return Math.max((top + ranked.get(1).likelihood) / 2, Math.pow(top, SINGLE_FEATURE_EXPONENT));
  }

  public long windows() {
    return windows;
  }

  static long version(String modelVersion) {
    if (modelVersion == null) {
      return 0;
    }
    try {
      return Long.parseLong(modelVersion.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
