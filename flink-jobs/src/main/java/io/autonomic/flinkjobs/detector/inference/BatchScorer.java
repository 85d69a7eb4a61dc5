package io.autonomic.flinkjobs.detector.inference;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one micro-batch of one model: copies the requests' scaled sequences into one float32 array, reconstructs
 * them in one call, and writes each window's raw error and its unscaled reconstruction of the newest window. Keeps
 * one {@link Reconstructor} per artifact for the thread it runs on. Plain Java; the Flink shell is
 * {@link io.autonomic.flinkjobs.detector.functions.BatchedInferenceFunction}.
 */
public final class BatchScorer {
  /** Makes the reconstructor of an artifact (the DL4J one loads through {@link ModelCache}). */
  @FunctionalInterface
  public interface Factory extends Serializable {
    Reconstructor create(ModelSpec spec) throws ArtifactException;
  }

  /** A window waiting for inference and what to do when it has its result. */
  public record Pending(ModelScoring scoring, Consumer<ModelScoring> done) {}

  private final Factory factory;
  /** By model key: the artifact it was made for and the reconstructor; a newer version replaces the older one. */
  private final Map<String, Map.Entry<String, Reconstructor>> reconstructors = new HashMap<>();
  private float[] input = new float[0];
  private double[] errors = new double[0];
  private float[] last = new float[0];

  public BatchScorer(Factory factory) {
    this.factory = factory;
  }

  /** The DL4J reconstructor of an artifact: a private clone of the JVM-wide loaded network. */
  public static Reconstructor dl4j(ModelSpec spec) throws ArtifactException {
    return new Dl4jReconstructor(ModelCache.clone(spec), spec.features.length, spec.sequenceLength);
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
    int cells = spec.cells();
    int f = spec.features.length;
    if (input.length < n * cells) {
      input = new float[n * cells];
    }
    if (errors.length < n) {
      errors = new double[n];
    }
    if (last.length < n * f) {
      last = new float[n * f];
    }
    for (int b = 0; b < n; b++) {
      System.arraycopy(batch.get(b).scoring().input, 0, input, b * cells, cells);
    }
    r.reconstruct(input, n, errors, last);
    for (int b = 0; b < n; b++) {
      ModelScoring s = batch.get(b).scoring();
      s.error = errors[b];
      s.expected = new double[f];
      for (int i = 0; i < f; i++) {
        s.expected[i] = spec.unscale(i, last[b * f + i]);
      }
      s.input = null; // the sequence is not needed downstream: do not serialize it again
      batch.get(b).done().accept(s);
    }
  }

}
