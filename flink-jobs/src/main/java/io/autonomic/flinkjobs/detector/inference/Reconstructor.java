package io.autonomic.flinkjobs.detector.inference;

/**
 * One autoencoder ready to run on a batch. Not thread-safe: each inference thread has its own instances.
 */
public interface Reconstructor {
  /**
   * Reconstructs {@code batch} examples of {@code F * N} cells each ({@code input} is {@code [batch, F, N]} in NCW
   * order, float32, already scaled) and writes, per example, the raw error (mean over the cells of
   * (out - in)^2) into {@code errors[b]} and the reconstruction of the last step into {@code last[b * F + f]}.
   */
  void reconstruct(float[] input, int batch, double[] errors, float[] last);
}
