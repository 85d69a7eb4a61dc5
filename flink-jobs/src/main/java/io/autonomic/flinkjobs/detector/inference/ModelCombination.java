package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.flinkjobs.detector.anomaly.FeatureScore;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.scoring.AnomalyLikelihood;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Combines a window's statistical score with its model's, per series (keyed state: one instance per series).
 *
 * <p>The model's raw error becomes a likelihood with the same {@link AnomalyLikelihood} the statistical detector
 * uses, over this series' recent model errors, so both scores are calibrated the same way (a log-scaled tail
 * probability in [0,1]) and one threshold fits both. <b>Rule: the window's score is the larger of the two.</b> The
 * model only adds evidence: a trained model sees patterns the per-feature baselines do not (shape over N windows),
 * and the statistical detector still covers series without a model or whose model is still learning its error
 * distribution (the likelihood is 0 for its first {@link #LEARNING} windows). A new model version starts a fresh
 * error history (its errors have another scale).
 *
 * <p>When the model's likelihood is the higher one (a model-driven window), the evidence lists the model's
 * features first with observed values and the reconstruction of the newest window as expected, ranked by their
 * scaled squared error; the statistical features follow.
 */
public final class ModelCombination implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int LEARNING = 20;
  static final int HISTORY = 500;
  static final int REESTIMATE = 10;
  static final double DEFAULT_MIN_STD = 1e-3;

  private String modelKey;
  private long version = -1;
  private AnomalyLikelihood likelihood;

  /** Applies the model result {@code s} to {@code s.window.score}; returns the model's likelihood. */
  public double apply(ModelScoring s) {
    ModelSpec m = s.model;
    likelihood = likelihoodOf(m, likelihood, modelKey, version);
    modelKey = m.modelKey;
    version = m.version;
    double l = likelihood.update(s.error);
    SeriesFeatures f = s.window;
    WindowScore score = f.score == null ? new WindowScore() : f.score;
    f.score = score;
    score.modelVersions.put(m.kind, m.version);
    if (score.detector == null) {
      score.detector = m.kind;
    }
    if (l > score.score) {
      score.score = l;
      score.warmedUp = true;
      score.features = modelFeatures(m, f.values(), s.expected, l, score.features);
    }
    return l;
  }

  /**
   * The error likelihood for model {@code m}: {@code current}, kept for {@code key} and {@code version}, while that
   * is still the model; a fresh one when another model or version takes over (its errors have another scale).
   */
  static AnomalyLikelihood likelihoodOf(ModelSpec m, AnomalyLikelihood current, String key, long version) {
    if (current == null || version != m.version || !m.modelKey.equals(key)) {
      return new AnomalyLikelihood(1, LEARNING, HISTORY, REESTIMATE, minStd(m));
    }
    return current;
  }

  /** Floor of the error spread: the training errors' MAD (as a standard deviation) when the trainer sent it. */
  static double minStd(ModelSpec m) {
    double mad = m.errorMad;
    return mad > 0 && Double.isFinite(mad) ? Math.max(1e-6, 1.4826 * mad) : DEFAULT_MIN_STD;
  }

  static List<FeatureScore> modelFeatures(ModelSpec m, double[] observed, double[] expected, double likelihood,
      List<FeatureScore> statistical) {
    int n = m.features.length;
    double[] err = new double[n];
    double max = 0;
    for (int i = 0; i < n; i++) {
      double x = observed[m.featureIndex[i]];
      double z = (x - expected[i]) / m.scaleStd[i];
      err[i] = z * z;
      max = Math.max(max, err[i]);
    }
    List<FeatureScore> out = new ArrayList<>(n + statistical.size());
    for (int i = 0; i < n; i++) {
      double share = max > 0 ? err[i] / max : 1.0 / n;
      out.add(new FeatureScore(m.features[i], observed[m.featureIndex[i]], expected[i], likelihood * share));
    }
    return rankedThen(out, statistical);
  }

  /**
   * Sorts the model's features {@code model} by likelihood, highest first, and appends the statistical features it
   * does not list; returns {@code model}.
   */
  static List<FeatureScore> rankedThen(List<FeatureScore> model, List<FeatureScore> statistical) {
    Set<String> names = new HashSet<>();
    for (FeatureScore x : model) {
      names.add(x.feature);
    }
    model.sort(Comparator.comparingDouble((FeatureScore x) -> x.likelihood).reversed());
    for (FeatureScore x : statistical) {
      if (!names.contains(x.feature)) {
        model.add(x);
      }
    }
    return model;
  }

  public long version() {
    return version;
  }
}
