package io.autonomic.flinkjobs.detector.inference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the series and the entity batch scorers share on one inference thread: one {@link Reconstructor} per model
 * key (a newer artifact of the key replaces the older one's), and the batch arrays, grown to the largest batch seen
 * and reused. Not thread-safe, like the reconstructors.
 */
final class BatchReconstruction {
  private final BatchScorer.Factory factory;
  /** By model key: the artifact it was made for and the reconstructor. */
  private final Map<String, Map.Entry<String, Reconstructor>> reconstructors = new HashMap<>();
  private float[] input = new float[0];
  private double[] errors = new double[0];
  private float[] out = new float[0];

  BatchReconstruction(BatchScorer.Factory factory) {
    this.factory = factory;
  }

  /**
   * Copies the scaled inputs of {@code requests} (all for {@code artifactId}, {@code spec.cells()} floats each)
   * into one float32 array and reconstructs them in one call; {@link #error} and {@link #out} then hold the
   * results. Returns the requests' model.
   */
  <T extends InferenceRequest<T>> ModelSpec run(String artifactId,
      List<? extends InferenceRequest.Pending<T>> requests) throws ArtifactException {
    ModelSpec spec = requests.get(0).scoring().model();
    int n = requests.size();
    Reconstructor r = reconstructor(artifactId, spec);
    int cells = spec.cells();
    int f = spec.features.length;
    if (input.length < n * cells) {
      input = new float[n * cells];
    }
    if (errors.length < n) {
      errors = new double[n];
    }
    if (out.length < n * f) {
      out = new float[n * f];
    }
    for (int b = 0; b < n; b++) {
      System.arraycopy(requests.get(b).scoring().input(), 0, input, b * cells, cells);
    }
    r.reconstruct(input, n, errors, out);
    return spec;
  }

  /** The raw error of example {@code b} of the last run. */
  double error(int b) {
    return errors[b];
  }

  /** The last run's reconstructions of the newest step, scaled: {@code out()[b * F + f]}. */
  float[] out() {
    return out;
  }

  private Reconstructor reconstructor(String artifactId, ModelSpec spec) throws ArtifactException {
    Map.Entry<String, Reconstructor> known = reconstructors.get(spec.modelKey);
    if (known != null && known.getKey().equals(artifactId)) {
      return known.getValue();
    }
    Reconstructor r = factory.create(spec);
    reconstructors.put(spec.modelKey, Map.entry(artifactId, r));
    return r;
  }
}
