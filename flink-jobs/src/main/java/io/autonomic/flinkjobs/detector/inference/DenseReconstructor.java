package io.autonomic.flinkjobs.detector.inference;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense autoencoder run on a batch of entity vectors {@code [batch, F]}, the way {@link Dl4jReconstructor} runs
 * the LSTM: one {@code net.output} per batch in float32, the input copied in bulk into a preallocated off-heap
 * array, output and error computed in a reused workspace. {@code last} receives the whole reconstruction
 * ({@code last[b * F + f]}), scaled; N is 1.
 */
public final class DenseReconstructor implements Reconstructor {
  private static final String WORKSPACE = "autonomic-dense-inference";
  private static final WorkspaceConfiguration WS = WorkspaceConfiguration.builder()
      .initialSize(0)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .overallocationLimit(0.2)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policyReset(ResetPolicy.BLOCK_LEFT)
      .build();

  private final MultiLayerNetwork net;
  private final int features;
  private INDArray in;
  private int inBatch;

  /** {@code net} must be this thread's own copy ({@link ModelCache#clone}). */
  public DenseReconstructor(MultiLayerNetwork net, int features) {
    this.net = net;
    this.features = features;
  }

  /** The DL4J reconstructor of a dense artifact: a private clone of the JVM-wide loaded network. */
  public static Reconstructor dl4j(ModelSpec spec) throws ArtifactException {
    return new DenseReconstructor(ModelCache.clone(spec), spec.features.length);
  }

  @Override
  public void reconstruct(float[] input, int batch, double[] errors, float[] last) {
    if (in == null || inBatch != batch) {
      in = Nd4j.create(DataType.FLOAT, batch, features);
      inBatch = batch;
    }
    FloatBuffer buffer = in.data().asNioFloat();
    buffer.clear();
    buffer.put(input, 0, batch * features);
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS, WORKSPACE)) {
      INDArray out = net.output(in, false, null, null, ws).castTo(DataType.FLOAT).dup('c');
      INDArray diff = out.sub(in);
      diff.muli(diff);
      INDArray mse = diff.mean(1);
      FloatBuffer m = mse.data().asNioFloat();
      for (int b = 0; b < batch; b++) {
        errors[b] = m.get((int) mse.offset() + b);
      }
      out.data().asNioFloat().get(last, 0, batch * features);
    }
  }
}
