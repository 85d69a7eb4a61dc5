package io.autonomic.flinkjobs.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains one model from a {@link TrainingSet}: scaling statistics from the rows, inputs per the contract, Adam in
 * shuffled mini-batches, early stop when the loss on the held-out tail (the newest inputs, so validation looks
 * forward in time as scoring will) has not improved for {@code patience} epochs, the best parameters kept, then
 * the calibration of the raw error on the training inputs. Deterministic for a seed (one thread, seeded shuffles
 * and initialisation).
 */
public final class ModelTrainer {

  /**
   * @param sequenceLength N, windows per LSTM input
   * @param units LSTM encoder/decoder width (the code size)
   * @param holdout fraction of the newest inputs held out for early stopping (none below 20 inputs)
   * @param maxWindows train on at most this many of the newest windows
   */
  public record Settings(int sequenceLength, int units, int epochs, int batchSize, double learningRate,
      int patience, double holdout, int maxWindows, long seed) {

    public static Settings defaults() {
      return new Settings(16, 16, 15, 128, 0.01, 3, 0.1, 5000, 42);
    }

    public Settings withEpochs(int e) {
      return new Settings(sequenceLength, units, e, batchSize, learningRate, patience, holdout, maxWindows, seed);
    }

    public Settings withSequenceLength(int n) {
      return new Settings(n, units, epochs, batchSize, learningRate, patience, holdout, maxWindows, seed);
    }

    public Settings withUnits(int u) {
      return new Settings(sequenceLength, u, epochs, batchSize, learningRate, patience, holdout, maxWindows, seed);
    }
  }

  private final Settings settings;

  public ModelTrainer(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** The smallest set {@link #train} accepts for a kind: enough windows for a few inputs. */
  public int minimumWindows(ModelKind kind) {
    return kind == ModelKind.LSTM ? settings.sequenceLength() + 4 : 5;
  }

  /** Trains the model; throws IllegalArgumentException when the set has fewer than {@link #minimumWindows}. */
  public TrainedModel train(TrainingSet set) {
    Nd4jRuntime.init();
    if (set.windows() < minimumWindows(set.kind())) {
      throw new IllegalArgumentException(set.modelKey() + ": " + set.windows() + " windows, need at least "
          + minimumWindows(set.kind()));
    }
    long start = System.nanoTime();
    List<double[]> rows = set.rows();
    if (rows.size() > settings.maxWindows()) {
      rows = rows.subList(rows.size() - settings.maxWindows(), rows.size());
    }
    String[] features = set.features().toArray(String[]::new);
    Scaling scaling = Scaling.fit(features, rows);
    Nd4j.getRandom().setSeed(settings.seed());
    MultiLayerNetwork net = set.kind() == ModelKind.LSTM
        ? Networks.lstmAutoencoder(features.length, settings.sequenceLength(), settings.units(), settings.seed(),
            settings.learningRate())
        : Networks.denseAutoencoder(features.length, settings.seed(), settings.learningRate());
    ScoringModel shape = new ScoringModel(set.kind(), net, scaling, settings.sequenceLength(), Map.of());
    INDArray all = shape.inputs(rows);
    long n = all.size(0);
    int held = n >= 20 ? (int) Math.max(1, Math.round(n * settings.holdout())) : 0;
    int trainCount = (int) (n - held);
    INDArray train = slice(all, 0, trainCount);
    INDArray validation = held > 0 ? slice(all, trainCount, n) : null;
    DataSet trainSet = new DataSet(train, train);
    DataSet validationSet = validation == null ? trainSet : new DataSet(validation, validation);

    Random shuffle = new Random(settings.seed());
    int[] order = new int[trainCount];
    Arrays.setAll(order, i -> i);
    double best = Double.POSITIVE_INFINITY;
    INDArray bestParams = net.params().dup();
    int bestEpoch = 0;
    int epochs = 0;
    for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
      epochs = epoch;
      shuffle(order, shuffle);
      for (int b = 0; b < trainCount; b += settings.batchSize()) {
        int[] idx = Arrays.copyOfRange(order, b, Math.min(trainCount, b + settings.batchSize()));
        INDArray x = pick(train, idx);
        net.fit(new DataSet(x, x));
      }
      double loss = net.score(validationSet, false);
      if (loss < best - 1e-7) {
        best = loss;
        bestParams = net.params().dup();
        bestEpoch = epoch;
      } else if (epoch - bestEpoch >= settings.patience()) {
        break;
      }
    }
    net.setParams(bestParams);

    double[] errors = ScoringModel.errors(net, train);
    Map<String, Double> calibration = new LinkedHashMap<>();
    if (set.kind() == ModelKind.LSTM) {
      calibration.put(ScoringModel.SEQUENCE_LENGTH, (double) settings.sequenceLength());
    }
    scaling.putInto(calibration);
    calibration.putAll(errorStatistics(errors));
    double finalLoss = mean(errors);
    double validationLoss = validation == null ? Double.NaN : mean(ScoringModel.errors(net, validation));
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new TrainedModel(set.kind(), set.modelKey(), net, set.features(), calibration, set.from(), set.to(),
        rows.size(), trainCount, epochs, finalLoss, validationLoss, millis);
  }

  /** error.median, error.mad (median absolute deviation), error.p99, error.mean and error.std of raw errors. */
  public static Map<String, Double> errorStatistics(double[] errors) {
    Percentile p = new Percentile();
    p.setData(errors);
    double median = p.evaluate(50);
    double[] dev = new double[errors.length];
    for (int i = 0; i < errors.length; i++) {
      dev[i] = Math.abs(errors[i] - median);
    }
    double mean = mean(errors);
    double var = 0;
    for (double e : errors) {
      var += (e - mean) * (e - mean);
    }
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put(ScoringModel.ERROR_MEDIAN, median);
    stats.put(ScoringModel.ERROR_MAD, new Percentile().evaluate(dev, 50));
    stats.put(ScoringModel.ERROR_P99, p.evaluate(99));
    stats.put("error.mean", mean);
    stats.put("error.std", Math.sqrt(var / errors.length));
    return stats;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }

  private static INDArray slice(INDArray a, long from, long to) {
    INDArray s = a.rank() == 3
        ? a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all())
        : a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    return s.dup('c');
  }

  /** The examples {@code idx} of {@code a} (c order): rows of its 2-d view, reshaped back. */
  private static INDArray pick(INDArray a, int[] idx) {
    long n = a.size(0);
    INDArray flat = a.reshape('c', n, a.length() / n);
    long[] shape = a.shape().clone();
    shape[0] = idx.length;
    return Nd4j.pullRows(flat, 1, idx).reshape('c', shape);
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
