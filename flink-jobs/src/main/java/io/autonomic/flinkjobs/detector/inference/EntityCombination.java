package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.flinkjobs.detector.anomaly.FeatureScore;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.scoring.AnomalyLikelihood;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Combines an entity window's statistical score with its dense autoencoder's, per entity (keyed state: one
 * instance per entity), the way {@link ModelCombination} does for a series: the raw error becomes a likelihood
 * over this entity's recent errors ({@link AnomalyLikelihood}, {@value ModelCombination#LEARNING} windows to learn,
 * the spread floored by the training {@code error.mad}; a new model version starts a fresh history), and <b>the
 * entity score is the larger of the statistical entity score and the model likelihood</b>.
 *
 * <p>The statistical entity score needs two series scoring high together; the model also sees windows where every
 * series is within its own normal range but their combination is not (cpu up while latency rises, when they
 * usually move apart). When the model's likelihood is the higher one, the evidence lists the model's features
 * ranked by their scaled squared error (input vs reconstruction), observed against the reconstruction in the
 * feature's units; the statistical features follow.
 */
public final class EntityCombination implements Serializable {
  private static final long serialVersionUID = 1L;

  private String modelKey;
  private long version = -1;
  private AnomalyLikelihood likelihood;

  /** Folds the model result of {@code s} into {@code s.score}; returns the model's likelihood. */
  public double apply(EntityModelScoring s) {
    ModelSpec m = s.model;
    likelihood = ModelCombination.likelihoodOf(m, likelihood, modelKey, version);
    modelKey = m.modelKey;
    version = m.version;
    double l = likelihood.update(s.error);
    WindowScore score = s.score;
    if (score == null) {
      score = new WindowScore();
      score.detector = m.kind;
      s.score = score;
    }
    score.modelVersions.put(m.kind, m.version);
    if (l > score.score) {
      score.score = l;
      score.warmedUp = true;
      score.features = modelFeatures(m, DenseInput.observed(m, s.vector), s.input, s.reconstruction, l,
          score.features);
    }
    return l;
  }

  /**
   * The model's features with a value in this window, ranked by (reconstruction - input)^2 in scaled units, each
   * with the likelihood times its share of the largest error; then the statistical features not already listed.
   */
  static List<FeatureScore> modelFeatures(ModelSpec m, double[] observed, float[] input, float[] reconstruction,
      double likelihood, List<FeatureScore> statistical) {
    int n = m.features.length;
    double[] err = new double[n];
    double max = 0;
    for (int i = 0; i < n; i++) {
      double d = reconstruction[i] - input[i];
      err[i] = d * d;
      if (!Double.isNaN(observed[i])) {
        max = Math.max(max, err[i]);
      }
    }
    List<FeatureScore> out = new ArrayList<>(n + statistical.size());
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(observed[i])) {
        continue; // a series missing from this window: nothing observed to explain
      }
      double share = max > 0 ? err[i] / max : 1.0 / n;
      out.add(new FeatureScore(m.features[i], observed[i], m.unscale(i, reconstruction[i]), likelihood * share));
    }
    return ModelCombination.rankedThen(out, statistical);
  }

  public long version() {
    return version;
  }
}
