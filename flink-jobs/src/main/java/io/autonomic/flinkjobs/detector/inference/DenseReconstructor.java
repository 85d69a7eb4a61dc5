package io.autonomic.flinkjobs.detector.inference;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense autoencoder run on a batch of entity vectors {@code [batch, F]}, the way {@link Dl4jReconstructor} runs
 * the LSTM: one {@code net.output} per batch in float32, the input copied in bulk into a preallocated off-heap
 * array, output and error computed in a reused workspace ({@link Dl4jBatch}). {@code last} receives the whole
 * reconstruction ({@code last[b * F + f]}), scaled; N is 1.
 */
public final class DenseReconstructor implements Reconstructor {
  private final MultiLayerNetwork net;
  private final int features;
  private final Dl4jBatch batches;

  /** {@code net} must be this thread's own copy ({@link ModelCache#clone}). */
  public DenseReconstructor(MultiLayerNetwork net, int features) {
    this.net = net;
    this.features = features;
    this.batches = new Dl4jBatch("autonomic-dense-inference", features);
  }

  /** The DL4J reconstructor of a dense artifact: a private clone of the JVM-wide loaded network. */
  public static Reconstructor dl4j(ModelSpec spec) throws ArtifactException {
    return new DenseReconstructor(ModelCache.clone(spec), spec.features.length);
  }

  @Override
  public void reconstruct(float[] input, int batch, double[] errors, float[] last) {
    INDArray in = batches.input(input, batch);
    try (MemoryWorkspace ws = batches.workspace()) {
      INDArray out = net.output(in, false, null, null, ws).castTo(DataType.FLOAT).dup('c');
      INDArray diff = out.sub(in);
      diff.muli(diff);
      Dl4jBatch.errors(diff.mean(1), batch, errors);
      out.data().asNioFloat().get(last, 0, batch * features);
    }
  }
}
