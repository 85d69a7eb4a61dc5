package io.autonomic.flinkjobs.detector.inference;

import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one micro-batch of one model: copies the requests' scaled sequences into one float32 array, reconstructs
 * them in one call, and writes each window's raw error and its unscaled reconstruction of the newest window. Keeps
 * one {@link Reconstructor} per artifact for the thread it runs on ({@link BatchReconstruction}). Plain Java; the
 * Flink shell is {@link io.autonomic.flinkjobs.detector.functions.BatchedInferenceFunction}.
 */
public final class BatchScorer {
  /** Makes the reconstructor of an artifact (the DL4J one loads through {@link ModelCache}). */
  @FunctionalInterface
  public interface Factory extends Serializable {
    Reconstructor create(ModelSpec spec) throws ArtifactException;
  }

  /** A series window waiting for inference and what to do when it has its result. */
  public static final class Pending extends InferenceRequest.Pending<ModelScoring> {
    public Pending(ModelScoring scoring, Consumer<ModelScoring> done) {
      super(scoring, done);
    }
  }

  private final BatchReconstruction batch;

  public BatchScorer(Factory factory) {
    this.batch = new BatchReconstruction(factory);
  }

  /** The DL4J reconstructor of an artifact: a private clone of the JVM-wide loaded network. */
  public static Reconstructor dl4j(ModelSpec spec) throws ArtifactException {
    return new Dl4jReconstructor(ModelCache.clone(spec), spec.features.length, spec.sequenceLength);
  }

  /** Scores {@code requests}, all for the same artifact, and completes each one. */
  public void run(String artifactId, List<? extends InferenceRequest.Pending<ModelScoring>> requests)
      throws ArtifactException {
    ModelSpec spec = batch.run(artifactId, requests);
    int f = spec.features.length;
    float[] last = batch.out();
    for (int b = 0; b < requests.size(); b++) {
      ModelScoring s = requests.get(b).scoring();
      s.error = batch.error(b);
      s.expected = new double[f];
      for (int i = 0; i < f; i++) {
        s.expected[i] = spec.unscale(i, last[b * f + i]);
      }
      s.input = null; // the sequence is not needed downstream: do not serialize it again
      requests.get(b).done().accept(s);
    }
  }
}
