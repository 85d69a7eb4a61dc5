package io.autonomic.flinkjobs.detector.inference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one micro-batch of entity windows of one dense model: copies their scaled vectors into one float32
 * {@code [batch, F]} array, reconstructs them in one call and writes each window's raw error and reconstruction.
 * Keeps one {@link Reconstructor} per model key for the thread it runs on (a newer artifact replaces it). Plain
 * Java; the Flink shell is {@link io.autonomic.flinkjobs.detector.functions.EntityInferenceFunction}.
 */
public final class EntityBatchScorer {
  /** An entity window waiting for inference and what to do with its result. */
  public record Pending(EntityModelScoring scoring, Consumer<EntityModelScoring> done) {}

  private final BatchScorer.Factory factory;
  private final Map<String, Map.Entry<String, Reconstructor>> reconstructors = new HashMap<>();
  private float[] input = new float[0];
  private double[] errors = new double[0];
  private float[] out = new float[0];

  public EntityBatchScorer(BatchScorer.Factory factory) {
    this.factory = factory;
  }

  /** The group of a request: its model artifact. */
  public static String group(Pending p) {
    return p.scoring().model.artifactId();
  }

  /** Scores {@code batch}, all for the same artifact, and completes each request. */
  public void run(String artifactId, List<Pending> batch) throws ArtifactException {
    ModelSpec spec = batch.get(0).scoring().model;
    Map.Entry<String, Reconstructor> known = reconstructors.get(spec.modelKey);
    Reconstructor r;
    if (known != null && known.getKey().equals(artifactId)) {
      r = known.getValue();
    } else {
      r = factory.create(spec);
      reconstructors.put(spec.modelKey, Map.entry(artifactId, r));
    }
    int n = batch.size();
    int f = spec.features.length;
    if (input.length < n * f) {
      input = new float[n * f];
      out = new float[n * f];
    }
    if (errors.length < n) {
      errors = new double[n];
    }
    for (int b = 0; b < n; b++) {
      System.arraycopy(batch.get(b).scoring().input, 0, input, b * f, f);
    }
    r.reconstruct(input, n, errors, out);
    for (int b = 0; b < n; b++) {
      EntityModelScoring s = batch.get(b).scoring();
      s.error = errors[b];
      s.reconstruction = new float[f];
      System.arraycopy(out, b * f, s.reconstruction, 0, f);
      batch.get(b).done().accept(s);
    }
  }
}
