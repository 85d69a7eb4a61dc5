package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.HashMap;
import java.util.Map;

/**
 * The dense autoencoder's input of one entity window, per the model contract: the model's features
 * ({@code <metric>:<feature>}) in the model's order, each scaled with the model's calibration; a series the
 * window lacks (or a metric the model does not know) gives NaN observed values, which scale to 0 (the trainer
 * fills its training rows the same way). Series of the entity the model was not trained on are ignored.
 */
public final class DenseInput {
  private DenseInput() {}

  /** Raw values of the model's features in model order; NaN where the window has no such series. */
  public static double[] observed(ModelSpec model, EntityVector v) {
    Map<String, double[]> byMetric = new HashMap<>();
    for (SeriesFeatures s : v.series) {
      byMetric.put(s.metric, s.values());
    }
    double[] out = new double[model.features.length];
    for (int i = 0; i < out.length; i++) {
      double[] values = byMetric.get(model.metrics[i]);
      out[i] = values == null ? Double.NaN : values[model.featureIndex[i]];
    }
    return out;
  }

  /** The scaled input {@code [F]}. */
  public static float[] scaled(ModelSpec model, EntityVector v) {
    double[] x = observed(model, v);
    float[] z = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      z[i] = model.scale(i, x[i]);
    }
    return z;
  }

  /** Mean over the features of (reconstruction - input)^2: the contract's raw error of one input. */
  public static double error(float[] input, float[] reconstruction) {
    double sum = 0;
    for (int i = 0; i < input.length; i++) {
      double d = reconstruction[i] - input[i];
      sum += d * d;
    }
    return input.length == 0 ? Double.NaN : sum / input.length;
  }
}
