package io.autonomic.flinkjobs.detector.inference;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the DL4J reconstructors share, per instance (one inference thread): the float32 input array, preallocated
 * off-heap and filled with one bulk copy, and the workspace the output and the error are computed in (learnt on
 * the first batch, then reused: no per-call native allocation).
 */
final class Dl4jBatch {
  private static final WorkspaceConfiguration WS = WorkspaceConfiguration.builder()
      .initialSize(0)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .overallocationLimit(0.2)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policyReset(ResetPolicy.BLOCK_LEFT)
      .build();

  private final String workspace;
  private final long[] example;
  private final int cells;
  private INDArray in;
  private int inBatch;

  /** @param example the shape of one example: {@code F} or {@code F, N} */
  Dl4jBatch(String workspace, long... example) {
    this.workspace = workspace;
    this.example = example.clone();
    long c = 1;
    for (long d : example) {
      c *= d;
    }
    this.cells = Math.toIntExact(c);
  }

  /** The first {@code batch} examples of {@code input} as one {@code [batch, example...]} array. */
  INDArray input(float[] input, int batch) {
    if (in == null || inBatch != batch) {
      // full batches (the steady state under load) reuse the array; a timer flush of another size reallocates
      long[] shape = new long[example.length + 1];
      shape[0] = batch;
      System.arraycopy(example, 0, shape, 1, example.length);
      in = Nd4j.create(DataType.FLOAT, shape);
      inBatch = batch;
    }
    FloatBuffer buffer = in.data().asNioFloat();
    buffer.clear();
    buffer.put(input, 0, batch * cells);
    return in;
  }

  /** Activates this thread's inference workspace; close it when the batch's results are copied out. */
  MemoryWorkspace workspace() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS, workspace);
  }

  /** Copies the per-example errors, a {@code [batch]} vector, to the heap. */
  static void errors(INDArray mse, int batch, double[] errors) {
    FloatBuffer m = mse.data().asNioFloat();
    for (int b = 0; b < batch; b++) {
      errors[b] = m.get((int) mse.offset() + b);
    }
  }
}
