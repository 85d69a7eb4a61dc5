package io.autonomic.flinkjobs.model.bench;

import io.autonomic.flinkjobs.model.FastLstmAutoencoder;
import io.autonomic.flinkjobs.model.ModelKind;
import io.autonomic.flinkjobs.model.ModelTrainer;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import io.autonomic.flinkjobs.model.ScoringModel;
import io.autonomic.flinkjobs.model.SyntheticSeries;
import io.autonomic.flinkjobs.model.TrainedModel;
import io.autonomic.flinkjobs.model.TrainingSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training and inference speed of the LSTM autoencoder: time to train one series model (N=16, F=4, 1000 windows,
 * default settings) and batched inference windows/s. Run by a main, not by the unit tests:
 * {@code java -cp flink-jobs/target/classes:flink-jobs/target/test-classes:$(cat cp.txt)
 * io.autonomic.flinkjobs.model.bench.ModelBench [runs]}.
 */
public final class ModelBench {
  private ModelBench() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Nd4jRuntime.init();
    ModelTrainer trainer = new ModelTrainer(ModelTrainer.Settings.defaults());
    List<double[]> rows = SyntheticSeries.seasonal(1000, 1);
    TrainingSet set = new TrainingSet(ModelKind.LSTM, "lstm-autoencoder/bench/cpu", SyntheticSeries.FEATURES, rows,
        0, 1000);
    long[] trainMs = new long[runs];
    TrainedModel model = null;
    for (int i = 0; i < runs; i++) {
      model = trainer.train(set);
      trainMs[i] = model.trainingMillis();
      System.out.printf(Locale.ROOT, "train run %d: %d ms, %d epochs, loss %.5f, validation %.5f%n", i + 1,
          model.trainingMillis(), model.epochs(), model.finalLoss(), model.validationLoss());
    }
    ScoringModel scoring = model.scoring();
    List<double[]> many = new ArrayList<>(SyntheticSeries.seasonal(256 * 8 + 15, 2));
    for (int batch : new int[] {1, 32, 256, 1024}) {
      INDArray in = scoring.inputs(many, 0, batch + 15);
      double[] rates = new double[runs];
      for (int r = 0; r < runs; r++) {
        long n = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 2_000_000_000L) {
          scoring.errors(in);
          n += batch;
        }
        rates[r] = n / ((System.nanoTime() - t0) / 1e9);
      }
      System.out.printf(Locale.ROOT, "inference batch %4d: median %.0f windows/s%n", batch, median(rates));
    }
    FastLstmAutoencoder fast = FastLstmAutoencoder.of(model.net(), 16);
    INDArray one = scoring.inputs(many, 0, 16);
    float[][] x = new float[4][16];
    for (int j = 0; j < 4; j++) {
      for (int t = 0; t < 16; t++) {
        x[j][t] = one.getFloat(0, j, t);
      }
    }
    double[] fastRates = new double[runs];
    double sink = 0;
    for (int r = 0; r < runs; r++) {
      long n = 0;
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < 2_000_000_000L) {
        sink += fast.error(x);
        n++;
      }
      fastRates[r] = n / ((System.nanoTime() - t0) / 1e9);
    }
    System.out.printf(Locale.ROOT, "plain-Java forward, one sequence at a time: median %.0f windows/s (%s)%n",
        median(fastRates), sink > 0 ? "ok" : "?");
    System.out.printf(Locale.ROOT, "train median: %d ms over %d runs%n",
        (long) median(Arrays.stream(trainMs).asDoubleStream().toArray()), runs);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
