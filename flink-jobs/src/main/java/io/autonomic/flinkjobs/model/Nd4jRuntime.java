package io.autonomic.flinkjobs.model;

import org.deeplearning4j.config.DL4JClassLoading;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide ND4J settings every model user shares (the trainer, and the detector's operators from open()):
 * <ul>
 *   <li>ND4J and DL4J load classes through the classloader they first saw; a second Flink job in the same JVM would
 *       hit "Trying to access closed classloader", so every call points them at the current classes;</li>
 *   <li>float32 by default (the contract's data type);</li>
 *   <li>one thread per op: libnd4j's pools ({@code Environment.setMaxThreads(1)} / {@code setMaxMasterThreads(1)})
 *       and OpenBLAS's own pool ({@code openblas.blas_set_num_threads(1)}). Flink runs one inference thread per
 *       subtask; on 2 shared cores, extra threads made the same batches 2-20x slower with latency spikes (DESIGN.md,
 *       docs/benchmarks-detector.md). The OpenMP pool itself is left to {@code OMP_NUM_THREADS=1} in the
 *       environment (the {@code ./autonomic} launcher and the Flink manifests set it), because the pool sizes
 *       itself when the native library loads;</li>
 *   <li>ND4J's periodic System.gc() off: inference allocates in workspaces, and off-heap buffers of training are
 *       freed by the ordinary collections.</li>
 * </ul>
 */
public final class Nd4jRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);
  private static volatile boolean initialised;

  private Nd4jRuntime() {}

  /** Sets the classloaders (every call) and the rest (once per JVM). */
  public static synchronized void init() {
    ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
    DL4JClassLoading.setDl4jClassloaderFromClass(MultiLayerNetwork.class);
    if (initialised) {
      return;
    }
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Nd4j.getEnvironment().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxMasterThreads(1);
    String blas = setOpenBlasThreads(1);
    Nd4j.getMemoryManager().togglePeriodicGc(false);
    initialised = true;
    LOG.info("nd4j settings: float32 maxThreads={} maxMasterThreads={} openblas={} periodicGc=off backend={} "
            + "OMP_NUM_THREADS={}", Nd4j.getEnvironment().maxThreads(), Nd4j.getEnvironment().maxMasterThreads(),
        blas, Nd4j.getBackend().getClass().getSimpleName(), System.getenv("OMP_NUM_THREADS"));
  }

  /** OpenBLAS's thread count through the javacpp preset, when it is the BLAS in use; what happened, for the log. */
  static String setOpenBlasThreads(int n) {
    try {
      Class<?> openblas = Class.forName("org.bytedeco.openblas.global.openblas");
      openblas.getMethod("blas_set_num_threads", int.class).invoke(null, n);
      return "threads=" + openblas.getMethod("blas_get_num_threads").invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      return "not set (" + e.getClass().getSimpleName() + ")";
    }
  }
}
