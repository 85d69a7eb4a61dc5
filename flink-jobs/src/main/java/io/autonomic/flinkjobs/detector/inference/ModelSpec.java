package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.model.ModelKind;
import io.autonomic.flinkjobs.model.Scaling;
import io.autonomic.flinkjobs.model.ScoringModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One announced model version as the detector keeps it in broadcast state: where the artifact is, its checksum,
 * and the contract's input shape and scaling (docs: /work/shared model contract) resolved to arrays, so scoring
 * does no map look-ups. A Flink POJO (public fields, arrays only) so broadcast state is not serialized with Kryo.
 *
 * <p>Two kinds: {@value #LSTM_AUTOENCODER} (one series, features named as in {@link SeriesFeatures#NAMES}, input
 * {@code [F, N]}) and {@value #DENSE_AUTOENCODER} (one entity, features named {@code <metric>:<feature>}, input
 * {@code [F]}, N = 1: its calibration carries no sequence.length).
 */
public class ModelSpec {
  public static final String LSTM_AUTOENCODER = ModelKind.LSTM.kindName();
  public static final String DENSE_AUTOENCODER = ModelKind.DENSE.kindName();
  /** z-scores are clamped to ±this (the contract, {@link Scaling#z}). */
  public static final float CLAMP = (float) Scaling.CLAMP;

  public String modelKey;
  public String kind;
  public long version;
  public String artifactUri;
  public String sha256;
  /** Input feature names in model order. */
  public String[] features;
  /** Index of each feature in {@link SeriesFeatures#NAMES} (for a dense model: of the part after the colon). */
  public int[] featureIndex;
  /** Dense models: the metric (series) of each feature, the part before the colon; null for an LSTM. */
  public String[] metrics;
  /** N, the number of windows in one input sequence. */
  public int sequenceLength;
  public double[] scaleMean;
  public double[] scaleStd;
  /** Raw error statistics of the training data; NaN when the trainer did not send them. */
  public double errorMedian;
  public double errorMad;
  public double errorP99;

  public ModelSpec() {}

  /** The LSTM model key of a series (one model per entity + metric). */
  public static String lstmKey(String entityId, String metric) {
    return ModelKind.seriesKey(entityId, metric);
  }

  /** The dense model key of an entity (one model per entity). */
  public static String denseKey(String entityId) {
    return DENSE_AUTOENCODER + "/" + entityId;
  }

  /** Whether this is an entity (dense) model. */
  public boolean dense() {
    return DENSE_AUTOENCODER.equals(kind);
  }

  /**
   * Reads an update; throws {@link IllegalArgumentException} naming what is wrong (unknown kind, a feature the
   * detector does not compute, a missing calibration key), so the caller can refuse it with one log line.
   */
  public static ModelSpec from(ModelUpdate u) {
    ModelSpec s = new ModelSpec();
    s.modelKey = u.getModelKey();
    s.kind = u.getKind();
    s.version = u.getVersion();
    s.artifactUri = u.getArtifactUri();
    s.sha256 = u.getSha256() == null ? "" : u.getSha256().toLowerCase(java.util.Locale.ROOT);
    s.features = u.getFeatures().toArray(String[]::new);
    Map<String, Double> cal = u.getCalibration();
    List<String> problems = new ArrayList<>();
    boolean dense = DENSE_AUTOENCODER.equals(s.kind);
    if (!LSTM_AUTOENCODER.equals(s.kind) && !dense) {
      problems.add("kind '" + s.kind + "' is not one the detector runs (" + LSTM_AUTOENCODER + ", "
          + DENSE_AUTOENCODER + ")");
    }
    if (s.features.length == 0) {
      problems.add("no features");
    }
    List<String> names = Arrays.asList(SeriesFeatures.NAMES);
    s.featureIndex = new int[s.features.length];
    s.metrics = dense ? new String[s.features.length] : null;
    for (int i = 0; i < s.features.length; i++) {
      String feature = s.features[i];
      if (dense) {
        int colon = feature.lastIndexOf(':');
        if (colon <= 0) {
          problems.add("feature '" + feature + "' is not <metric>:<feature>");
          continue;
        }
        s.metrics[i] = feature.substring(0, colon);
        feature = feature.substring(colon + 1);
      }
      s.featureIndex[i] = names.indexOf(feature);
      if (s.featureIndex[i] < 0) {
        problems.add("feature '" + s.features[i] + "' is not a window feature " + names);
      }
    }
    Double n = cal.get(ScoringModel.SEQUENCE_LENGTH);
    if (dense) {
      s.sequenceLength = 1; // one window vector per input
    } else if (n == null || n < 1 || n != Math.rint(n)) {
      problems.add("calibration sequence.length missing or not a positive integer");
      s.sequenceLength = 1;
    } else {
      s.sequenceLength = n.intValue();
    }
    s.scaleMean = new double[s.features.length];
    s.scaleStd = new double[s.features.length];
    for (int i = 0; i < s.features.length; i++) {
      Double mean = cal.get(Scaling.MEAN_PREFIX + s.features[i]);
      Double std = cal.get(Scaling.STD_PREFIX + s.features[i]);
      if (mean == null || std == null || !(std > 0)) {
        problems.add("calibration scale.mean/scale.std of '" + s.features[i] + "' missing or std not positive");
      } else {
        s.scaleMean[i] = mean;
        s.scaleStd[i] = std;
      }
    }
    s.errorMedian = cal.getOrDefault(ScoringModel.ERROR_MEDIAN, Double.NaN);
    s.errorMad = cal.getOrDefault(ScoringModel.ERROR_MAD, Double.NaN);
    s.errorP99 = cal.getOrDefault(ScoringModel.ERROR_P99, Double.NaN);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return s;
  }

  /** Contract scaling of one value of feature {@code i} ({@link Scaling#z}: missing (NaN) → 0, ±10 clamp). */
  public float scale(int i, double x) {
    return Scaling.z(x, scaleMean[i], scaleStd[i]);
  }

  /** The inverse of {@link #scale} (without the clamp): a reconstruction back in the feature's units. */
  public double unscale(int i, double z) {
    return z * scaleStd[i] + scaleMean[i];
  }

  /** Cells of one input: F * N. */
  public int cells() {
    return features.length * sequenceLength;
  }

  /** The (uri, sha256) an artifact is cached by. */
  public String artifactId() {
    return artifactUri + "#" + sha256;
  }

  public String describe() {
    return modelKey + " v" + version;
  }

  @Override
  public String toString() {
    return "ModelSpec{" + modelKey + " v" + version + " " + kind + " " + artifactUri + " F=" + features.length
        + " N=" + sequenceLength + "}";
  }
}
