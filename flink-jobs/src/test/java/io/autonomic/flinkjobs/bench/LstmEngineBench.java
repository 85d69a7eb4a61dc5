package io.autonomic.flinkjobs.bench;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.inference.BatchScorer;
import io.autonomic.flinkjobs.detector.inference.Dl4jReconstructor;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import io.autonomic.flinkjobs.detector.inference.JavaLstmReconstructor;
import io.autonomic.flinkjobs.detector.inference.LstmAutoencoderWeights;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.detector.inference.Reconstructor;
import io.autonomic.flinkjobs.model.FastLstmAutoencoder;
import io.autonomic.flinkjobs.model.Networks;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * LSTM autoencoder scoring throughput (windows/s, one thread) of the inference engines side by side in ONE JVM, so
 * the shared machine's load hits them alike: each round measures every engine for {@code seconds} in turn, and
 * the ratio is taken per round and over the medians. Network: the trainer's default ({@code Networks
 * #lstmAutoencoder}, F = 4, N = 16, 16 units, float32), random weights, random scaled input (the work does not
 * depend on the values: no branches).
 * <ul>
 *   <li>{@code dl4j}: {@link Dl4jReconstructor} with {@link Nd4jRuntime#init} and one OpenMP thread (the
 *       fastest DL4J set-up of docs/benchmarks.md);</li>
 *   <li>{@code java}: {@link JavaLstmReconstructor} (chunks of 64, vectorizable activations);</li>
 *   <li>{@code java-exact}: the same with {@link Math#tanh}/{@link Math#exp} activations;</li>
 *   <li>{@code single}: {@code model.FastLstmAutoencoder}, one sequence at a time (the NAB scorer's forward);</li>
 *   <li>{@code path-java}: the detector's inference path ({@link BatchScorer} with one request per window) over the
 *       java engine.</li>
 * </ul>
 * Run: {@code java -cp <test classpath> io.autonomic.flinkjobs.bench.LstmEngineBench [seconds] [rounds]
 * [engines,comma-separated] [batches,comma-separated]} (docs/benchmarks-lstm.md).
 */
public final class LstmEngineBench {
  static final int F = 4;
  static final int N = 16;
  static final int UNITS = 16;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private LstmEngineBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> engines = List.of((args.length > 2 ? args[2] : "dl4j,java,java-exact,single,path-java")
        .split(","));
    int[] batches = Arrays.stream((args.length > 3 ? args[3] : "64,256,1024").split(","))
        .mapToInt(Integer::parseInt).toArray();
    Nd4jRuntime.init();
    org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
    MultiLayerNetwork net = Networks.lstmAutoencoder(F, N, UNITS, 1, 0.01);
    System.out.printf(Locale.ROOT, "java=%s vm=%s cpus=%d omp=%d load=%s%n", System.getProperty("java.version"),
        System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(), load());
    for (int batch : batches) {
      Map<String, Runnable> steps = new LinkedHashMap<>();
      for (String e : engines) {
        steps.put(e, step(e, net, batch));
      }
      double[] cpu = new double[1];
      for (Runnable s : steps.values()) {
        measure(s, batch, seconds, cpu); // warm-up (JIT, workspaces)
      }
      Map<String, double[]> rates = new LinkedHashMap<>();
      Map<String, double[]> cpuRates = new LinkedHashMap<>();
      steps.keySet().forEach(e -> rates.put(e, new double[rounds]));
      steps.keySet().forEach(e -> cpuRates.put(e, new double[rounds]));
      String loadBefore = load();
      for (int r = 0; r < rounds; r++) {
        for (Map.Entry<String, Runnable> s : steps.entrySet()) {
          rates.get(s.getKey())[r] = measure(s.getValue(), batch, seconds, cpu);
          cpuRates.get(s.getKey())[r] = cpu[0];
        }
      }
      String loadAfter = load();
      double[] base = rates.get(engines.get(0));
      for (String e : engines) {
        double[] v = rates.get(e);
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = v[r] / base[r];
        }
        double[] c = cpuRates.get(e);
        System.out.printf(Locale.ROOT, "RESULT batch=%d engine=%s median=%.0f min=%.0f max=%.0f windows/s "
                + "ratio_vs_%s median_of_rounds=%.2f of_medians=%.2f cpu_median=%.0f windows/cpu-s "
                + "cpu_ratio=%.2f load=%s..%s%n", batch, e, median(v), min(v), max(v), engines.get(0),
            median(ratio), median(v) / median(base), median(c), median(c) / median(cpuRates.get(engines.get(0))),
            loadBefore, loadAfter);
      }
    }
  }

  static String load() {
    try {
      String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return p[0];
    } catch (Exception e) {
      return "?";
    }
  }

  /** Windows per second of wall time; {@code cpuRate[0]} gets windows per second of this thread's CPU time. */
  static double measure(Runnable step, int batch, double seconds, double[] cpuRate) {
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long windows = 0;
    long now;
    do {
      step.run();
      windows += batch;
      now = System.nanoTime();
    } while (now < end);
    cpuRate[0] = windows / ((THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9);
    return windows / ((now - start) / 1e9);
  }

  static Runnable step(String engine, MultiLayerNetwork net, int batch) {
    Random random = new Random(batch);
    float[] input = new float[batch * F * N];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) Math.max(-10, Math.min(10, random.nextGaussian()));
    }
    double[] errors = new double[batch];
    float[] last = new float[batch * F];
    LstmAutoencoderWeights weights = LstmAutoencoderWeights.of(net, F, N);
    switch (engine) {
      case "dl4j" -> {
        Reconstructor r = new Dl4jReconstructor(net.clone(), F, N);
        return () -> r.reconstruct(input, batch, errors, last);
      }
      case "java" -> {
        Reconstructor r = new JavaLstmReconstructor(weights);
        return () -> r.reconstruct(input, batch, errors, last);
      }
      case "java-exact" -> {
        Reconstructor r = new JavaLstmReconstructor(weights, JavaLstmReconstructor.DEFAULT_CHUNK, true);
        return () -> r.reconstruct(input, batch, errors, last);
      }
      case "single" -> {
        FastLstmAutoencoder fast = FastLstmAutoencoder.of(net, N);
        float[][][] xs = new float[batch][F][N];
        for (int b = 0; b < batch; b++) {
          for (int i = 0; i < F; i++) {
            System.arraycopy(input, (b * F + i) * N, xs[b][i], 0, N);
          }
        }
        return () -> {
          for (int b = 0; b < batch; b++) {
            errors[b] = fast.error(xs[b]);
          }
        };
      }
      case "path-java", "path-dl4j" -> {
        ModelSpec spec = InferenceBench.spec();
        BatchScorer scorer = new BatchScorer(s -> engine.equals("path-java") ? new JavaLstmReconstructor(weights)
            : new Dl4jReconstructor(net.clone(), F, N));
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
      default -> {
        if (engine.startsWith("java-chunk")) { // java-chunkNN: another chunk size
          Reconstructor r = new JavaLstmReconstructor(weights, Integer.parseInt(engine.substring(10)), false);
          return () -> r.reconstruct(input, batch, errors, last);
        }
        throw new IllegalArgumentException("unknown engine " + engine
            + "; valid: dl4j, java, java-exact, java-chunk<N>, single, path-java, path-dl4j");
      }
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }
}
