package io.autonomic.flinkjobs.detector.inference;

import java.util.List;

/**
 * Runs one micro-batch of entity windows of one dense model: copies their scaled vectors into one float32
 * {@code [batch, F]} array, reconstructs them in one call and writes each window's raw error and reconstruction.
 * Keeps one {@link Reconstructor} per model key for the thread it runs on ({@link BatchReconstruction}). Plain
 * Java; the Flink shell is {@link io.autonomic.flinkjobs.detector.functions.BatchedInferenceFunction}.
 */
public final class EntityBatchScorer {
  private final BatchReconstruction batch;

  public EntityBatchScorer(BatchScorer.Factory factory) {
    this.batch = new BatchReconstruction(factory);
  }

  /** Scores {@code requests}, all for the same artifact, and completes each one. */
  public void run(String artifactId, List<? extends InferenceRequest.Pending<EntityModelScoring>> requests)
      throws ArtifactException {
    ModelSpec spec = batch.run(artifactId, requests);
    int f = spec.features.length;
    for (int b = 0; b < requests.size(); b++) {
      EntityModelScoring s = requests.get(b).scoring();
      s.error = batch.error(b);
      s.reconstruction = new float[f];
      System.arraycopy(batch.out(), b * f, s.reconstruction, 0, f);
      requests.get(b).done().accept(s);
    }
  }
}
