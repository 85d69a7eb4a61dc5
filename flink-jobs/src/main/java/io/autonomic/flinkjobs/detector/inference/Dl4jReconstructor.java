package io.autonomic.flinkjobs.detector.inference;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A DL4J network run the way the benchmarks found fastest: one {@code net.output} per batch, float32, the input
 * copied in bulk (one {@code FloatBuffer.put}) into a preallocated off-heap array, the output and the error
 * computed in a reused workspace (no per-call native allocation; both: {@link Dl4jBatch}), the per-example MSE and
 * the last step computed with ND4J ops over the whole batch, and only {@code batch + batch * F} numbers copied back
 * to the heap.
 */
public final class Dl4jReconstructor implements Reconstructor {
  private final MultiLayerNetwork net;
  private final int features;
  private final int steps;
  private final Dl4jBatch batches;

  /** {@code net} must be this thread's own copy ({@link ModelCache#clone}). */
  public Dl4jReconstructor(MultiLayerNetwork net, int features, int steps) {
    this.net = net;
    this.features = features;
    this.steps = steps;
    this.batches = new Dl4jBatch("autonomic-inference", features, steps);
  }

  @Override
  public void reconstruct(float[] input, int batch, double[] errors, float[] last) {
    int cells = features * steps;
    INDArray in = batches.input(input, batch);
    try (MemoryWorkspace ws = batches.workspace()) {
      INDArray out = net.output(in, false, null, null, ws);
      INDArray diff = out.sub(in);
      diff.muli(diff);
      INDArray mse = diff.reshape('c', batch, (long) cells).mean(1);
      INDArray lastStep = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(steps - 1)).dup('c');
      Dl4jBatch.errors(mse, batch, errors);
      lastStep.data().asNioFloat().get(last, 0, batch * features);
    }
  }
}
