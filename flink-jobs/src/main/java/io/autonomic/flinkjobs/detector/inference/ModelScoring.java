package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;

/**
 * One series window on its way through model inference: the window (already scored by the statistical detector),
 * and, when the series has a model and enough history, the model and its scaled input. The inference stage fills
 * in the raw error and the reconstruction of the newest window. A Flink POJO.
 */
public class ModelScoring implements InferenceRequest<ModelScoring> {
  public SeriesFeatures window;
  /** Null when the series has no model (or not yet N windows): the window passes inference untouched. */
  public ModelSpec model;
  /** The scaled sequence, {@code [F, N]} flattened (NCW of one example). */
  public float[] input;
  /** Raw error: mean over the F*N cells of (reconstruction - input)^2; NaN when not inferred. */
  public double error = Double.NaN;
  /** The reconstruction of the newest window, unscaled, per model feature; null when not inferred. */
  public double[] expected;
  /** Why inference did not give a result (timeout, load failure); null otherwise. */
  public String failure;

  public ModelScoring() {}

  public static ModelScoring passThrough(SeriesFeatures window) {
    ModelScoring s = new ModelScoring();
    s.window = window;
    return s;
  }

  public static ModelScoring request(SeriesFeatures window, ModelSpec model, float[] input) {
    ModelScoring s = new ModelScoring();
    s.window = window;
    s.model = model;
    s.input = input;
    return s;
  }

  @Override
  public ModelSpec model() {
    return model;
  }

  @Override
  public float[] input() {
    return input;
  }

  @Override
  public ModelScoring withoutResult(String why) {
    ModelScoring s = passThrough(window);
    s.model = model;
    s.failure = why;
    return s;
  }

  @Override
  public String describe() {
    return "model=" + model.modelKey + " v" + model.version + " window=" + window.windowEnd
        + " (statistical score only)";
  }

  /** Whether inference produced an error for this window. */
  public boolean inferred() {
    return !Double.isNaN(error);
  }
}
