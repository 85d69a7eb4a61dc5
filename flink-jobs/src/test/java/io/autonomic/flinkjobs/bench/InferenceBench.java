package io.autonomic.flinkjobs.bench;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.inference.BatchScorer;
import io.autonomic.flinkjobs.detector.inference.Dl4jReconstructor;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.detector.model.TinyLstmAutoencoder;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LSTM autoencoder scoring throughput (windows/s) on one thread: N = 16 windows, F = 4 features, 16 LSTM units,
 * batch sizes 64, 256, 1024. One variant per JVM, because ND4J's thread settings are process-wide:
 * <ul>
 *   <li>{@code baseline}: DL4J out of the box: a double network, default ND4J threads, one
 *       {@code net.output(Nd4j.create(...))} per batch, errors computed on the heap from {@code toDoubleVector};</li>
 *   <li>{@code float}: the same with a float32 network;</li>
 *   <li>{@code float-1t}: float32 and {@link Nd4jRuntime#init} (one ND4J/OpenMP/OpenBLAS thread, no periodic
 *       GC);</li>
 *   <li>{@code reconstructor}: float-1t plus {@link Dl4jReconstructor} (preallocated input, one bulk copy,
 *       output and MSE in a workspace);</li>
 *   <li>{@code path}: the detector's whole inference path, {@link BatchScorer} with per-window requests (copying each
 *       window's sequence into the batch, unscaling the reconstruction, completing each request).</li>
 * </ul>
 * Run: {@code java -cp <test classpath> io.autonomic.flinkjobs.bench.InferenceBench VARIANT [seconds]}
 * (see docs/benchmarks-detector.md).
 */
public final class InferenceBench {
  static final int F = 4;
  static final int N = 16;
  static final int UNITS = 16;
  static final int[] BATCHES = {64, 256, 1024};

  private InferenceBench() {}

  public static void main(String[] args) throws Exception {
    String variant = args.length > 0 ? args[0] : "path";
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    if (!variant.equals("baseline") && !variant.equals("float")) {
      Nd4jRuntime.init();
      // the OpenMP pool itself (what OMP_NUM_THREADS=1 does); measured here, not called by the job (see the docs)
      org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
    }
    MultiLayerNetwork net = TinyLstmAutoencoder.create(F, N, UNITS, 1);
    if (variant.equals("baseline")) {
      net = net.convertDataType(DataType.DOUBLE);
    }
    System.out.printf("variant=%s threads=%d/%d omp=%d java=%s cpus=%d%n", variant,
        Nd4j.getEnvironment().maxThreads(), Nd4j.getEnvironment().maxMasterThreads(),
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    for (int batch : BATCHES) {
      Runnable step = step(variant, net, batch);
      measure(step, batch, seconds); // warm-up
      double[] rates = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        rates[r] = measure(step, batch, seconds);
      }
      Arrays.sort(rates);
      System.out.printf("RESULT variant=%s batch=%d median=%.0f windows/s min=%.0f max=%.0f%n", variant, batch,
          rates[rounds / 2], rates[0], rates[rounds - 1]);
    }
  }

  static double measure(Runnable step, int batch, double seconds) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long windows = 0;
    long now;
    do {
      step.run();
      windows += batch;
      now = System.nanoTime();
    } while (now < end);
    return windows / ((now - start) / 1e9);
  }

  static Runnable step(String variant, MultiLayerNetwork net, int batch) throws Exception {
    Random random = new Random(batch);
    float[] input = new float[batch * F * N];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextGaussian();
    }
    double[] errors = new double[batch];
    float[] last = new float[batch * F];
    switch (variant) {
      case "baseline", "float", "float-1t" -> {
        DataType type = net.params().dataType();
        return () -> {
          INDArray in = Nd4j.create(input, new long[] {batch, F, N}, 'c').castTo(type);
          double[] out = net.output(in).dup('c').data().asDouble();
          for (int b = 0; b < batch; b++) {
            double sum = 0;
            for (int c = 0; c < F * N; c++) {
              double d = out[b * F * N + c] - input[b * F * N + c];
              sum += d * d;
            }
            errors[b] = sum / (F * N);
          }
        };
      }
      case "reconstructor" -> {
        Dl4jReconstructor r = new Dl4jReconstructor(net, F, N);
        return () -> r.reconstruct(input, batch, errors, last);
      }
      case "path" -> {
        ModelSpec spec = spec();
        BatchScorer scorer = new BatchScorer(s -> new Dl4jReconstructor(net, F, N));
        List<float[]> sequences = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
          sequences.add(Arrays.copyOfRange(input, b * F * N, (b + 1) * F * N));
        }
        SeriesFeatures window = new SeriesFeatures();
        long[] completed = new long[1];
        return () -> {
          List<BatchScorer.Pending> pending = new ArrayList<>(batch);
          for (int b = 0; b < batch; b++) {
            pending.add(new BatchScorer.Pending(ModelScoring.request(window, spec, sequences.get(b)),
                s -> completed[0]++));
          }
          try {
            scorer.run(spec.artifactId(), pending);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
      }
      default -> throw new IllegalArgumentException("unknown variant " + variant
          + "; valid: baseline, float, float-1t, reconstructor, path");
    }
  }

  static ModelSpec spec() {
    ModelSpec s = new ModelSpec();
    s.modelKey = "lstm-autoencoder/bench/cpu";
    s.kind = ModelSpec.LSTM_AUTOENCODER;
    s.version = 1;
    s.artifactUri = "file:///bench.zip";
    s.sha256 = "0";
    s.features = new String[] {"mean", "std", "max", "p95"};
    s.featureIndex = new int[] {1, 2, 4, 8};
    s.sequenceLength = N;
    s.scaleMean = new double[F];
    s.scaleStd = new double[] {1, 1, 1, 1};
    return s;
  }
}
