package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.features.EntityVector;

/**
 * One entity window on its way through dense-autoencoder inference: the entity's vector, its statistical entity
 * score, and, when the entity has a model, the model and its scaled {@code [F]} input. Inference fills in the raw
 * error and the reconstruction; the combination step turns them into the final {@link #score}. A Flink POJO.
 */
public class EntityModelScoring implements InferenceRequest<EntityModelScoring> {
  public EntityVector vector;
  /** The entity's score: the statistical one at first (null when there is none), then the combined one. */
  public WindowScore score;
  /** Null when the entity has no model: the window passes inference untouched. */
  public ModelSpec model;
  /** The scaled vector in model feature order. */
  public float[] input;
  /** Raw error: mean over F of (reconstruction - input)^2; NaN when not inferred. */
  public double error = Double.NaN;
  /** The reconstruction, scaled (the model's own units), per model feature; null when not inferred. */
  public float[] reconstruction;
  /** Why inference did not give a result (timeout, failed batch); null otherwise. */
  public String failure;

  public EntityModelScoring() {}

  public static EntityModelScoring passThrough(EntityVector vector, WindowScore statistical) {
    EntityModelScoring s = new EntityModelScoring();
    s.vector = vector;
    s.score = statistical;
    return s;
  }

  public static EntityModelScoring request(EntityVector vector, WindowScore statistical, ModelSpec model) {
    EntityModelScoring s = passThrough(vector, statistical);
    s.model = model;
    s.input = DenseInput.scaled(model, vector);
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
  public EntityModelScoring withoutResult(String why) {
    EntityModelScoring s = passThrough(vector, score);
    s.model = model;
    s.failure = why;
    return s;
  }

  @Override
  public String describe() {
    return "model=" + model.modelKey + " v" + model.version + " entity=" + vector.entityId + " window="
        + vector.windowEnd + " (statistical entity score only)";
  }

  public boolean inferred() {
    return !Double.isNaN(error);
  }
}
