package io.autonomic.flinkjobs.model;

import org.deeplearning4j.config.DL4JClassLoading;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The ND4J settings every model user shares: float32 and one OpenMP thread per caller (on 2 shared cores, more
 * threads made DL4J 2-10x slower with latency spikes, DESIGN.md), and the classloaders pinned to ours (a Flink
 * operator's open() must call this: ND4J and DL4J otherwise keep the first job's classloader).
 */
public final class Nd4jRuntime {
  private static volatile boolean initialised;

  private Nd4jRuntime() {}

  /** Idempotent; {@code OMP_NUM_THREADS} set in the environment wins over the default of one thread. */
  public static synchronized void init() {
    ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
    DL4JClassLoading.setDl4jClassloaderFromClass(MultiLayerNetwork.class);
    if (initialised) {
      return;
    }
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    if (System.getenv("OMP_NUM_THREADS") == null) {
      NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
      Nd4j.getEnvironment().setMaxThreads(1);
      Nd4j.getEnvironment().setMaxMasterThreads(1);
    }
    initialised = true;
  }
}
