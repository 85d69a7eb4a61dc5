package io.autonomic.flinkjobs.detector.inference;

import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.config.DL4JClassLoading;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide ND4J settings for streaming inference, applied from the operators' open():
 * <ul>
 *   <li>ND4J and DL4J load classes through the classloader they first saw; a second job in the same JVM would hit
 *       "Trying to access closed classloader", so each open() points them at the current job's classes;</li>
 *   <li>one thread per op: {@code Environment.setMaxThreads(1)} / {@code setMaxMasterThreads(1)} (libnd4j's pools;
 *       set OMP_NUM_THREADS=1 in the TaskManager's environment as well, the surest way, since the OpenMP pool sizes
 *       itself when the native library loads) and OpenBLAS's own pool via
 *       {@code openblas.blas_set_num_threads(1)}. Flink already runs one inference thread per subtask; on 2 cores,
 *       extra OpenMP threads made the same batches 10-20x slower (docs/benchmarks-detector.md);</li>
 *   <li>ND4J's periodic System.gc() off: the inference path allocates in workspaces, not on the Java heap.</li>
 * </ul>
 */
public final class Dl4jRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(Dl4jRuntime.class);
  private static final AtomicBoolean CONFIGURED = new AtomicBoolean();

  private Dl4jRuntime() {}

  /** Sets the classloaders (every call) and the thread settings (once per JVM). */
  public static void prepare() {
    ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
    DL4JClassLoading.setDl4jClassloaderFromClass(MultiLayerNetwork.class);
    if (CONFIGURED.compareAndSet(false, true)) {
      Nd4j.getEnvironment().setMaxMasterThreads(1);
      Nd4j.getEnvironment().setMaxThreads(1);
      String blas = setOpenBlasThreads(1);
      Nd4j.getMemoryManager().togglePeriodicGc(false);
      LOG.info("nd4j inference settings: maxThreads={} maxMasterThreads={} openblas={} "
              + "periodicGc=off backend={} OMP_NUM_THREADS={}", Nd4j.getEnvironment().maxThreads(),
          Nd4j.getEnvironment().maxMasterThreads(), blas,
          Nd4j.getBackend().getClass().getSimpleName(), System.getenv("OMP_NUM_THREADS"));
    }
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
