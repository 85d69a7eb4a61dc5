package io.autonomic.flinkjobs.model;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network with what the contract says it needs to score: kind, feature order, scaling and sequence length. Builds
 * the model's inputs from raw feature rows and computes the raw reconstruction error of each input, in batches.
 * Not thread-safe (DL4J networks are not).
 */
public final class ScoringModel {
  public static final String SEQUENCE_LENGTH = "sequence.length";
  public static final String ERROR_MEDIAN = "error.median";
  public static final String ERROR_MAD = "error.mad";
  public static final String ERROR_P99 = "error.p99";

  private final ModelKind kind;
  private final MultiLayerNetwork net;
  private final Scaling scaling;
  private final int length;
  private final Map<String, Double> calibration;

  public ScoringModel(ModelKind kind, MultiLayerNetwork net, Scaling scaling, int length,
      Map<String, Double> calibration) {
    this.kind = kind;
    this.net = net;
    this.scaling = scaling;
    this.length = kind == ModelKind.LSTM ? length : 1;
    this.calibration = Map.copyOf(calibration);
  }

  /** A model as announced: features and calibration from the update, the network from its artifact. */
  public static ScoringModel of(ModelKind kind, MultiLayerNetwork net, List<String> features,
      Map<String, Double> calibration) {
    int length = kind == ModelKind.LSTM ? calibration.getOrDefault(SEQUENCE_LENGTH, 0.0).intValue() : 1;
    if (length < 1) {
      throw new IllegalArgumentException("calibration lacks " + SEQUENCE_LENGTH);
    }
    return new ScoringModel(kind, net, Scaling.fromCalibration(features, calibration), length, calibration);
  }

  /**
   * The inputs for rows of raw feature values in time order (each row has the model's features in order): for an
   * LSTM every run of {@code sequence.length} consecutive rows, as {@code [rows - N + 1, F, N]}; for a dense model
   * each row, as {@code [rows, F]}. Empty (null) when there are too few rows.
   */
  public INDArray inputs(List<double[]> rows) {
    return inputs(rows, 0, rows.size());
  }

  /** {@link #inputs(List)} over {@code rows[from, to)}. */
  public INDArray inputs(List<double[]> rows, int from, int to) {
    int f = scaling.size();
    int n = to - from;
    if (kind == ModelKind.DENSE) {
      if (n < 1) {
        return null;
      }
      float[] buf = new float[n * f];
      for (int i = 0; i < n; i++) {
        double[] row = rows.get(from + i);
        for (int j = 0; j < f; j++) {
          buf[i * f + j] = scaling.scale(j, row[j]);
        }
      }
      return Nd4j.create(buf, new long[] {n, f}, 'c');
    }
    int batch = n - length + 1;
    if (batch < 1) {
      return null;
    }
    // scale each row once, then copy the runs: [b, f, t] at b*F*N + f*N + t (NCW, c order)
    float[] scaled = new float[n * f];
    for (int i = 0; i < n; i++) {
      double[] row = rows.get(from + i);
      for (int j = 0; j < f; j++) {
        scaled[i * f + j] = scaling.scale(j, row[j]);
      }
    }
    float[] buf = new float[batch * f * length];
    for (int b = 0; b < batch; b++) {
      int base = b * f * length;
      for (int t = 0; t < length; t++) {
        int src = (b + t) * f;
        for (int j = 0; j < f; j++) {
          buf[base + j * length + t] = scaled[src + j];
        }
      }
    }
    return Nd4j.create(buf, new long[] {batch, f, length}, 'c');
  }

  /** Raw error of each input: mean over its cells of (output - input)^2. */
  public double[] errors(INDArray input) {
    return errors(net, input);
  }

  static double[] errors(MultiLayerNetwork net, INDArray input) {
    INDArray out = net.output(input, false);
    long batch = input.size(0);
    INDArray diff = out.sub(input);
    diff.muli(diff);
    INDArray perExample = diff.reshape(batch, diff.length() / batch).mean(1);
    return perExample.toDoubleVector();
  }

  /** Raw error of the newest input that ends at the last row, or NaN with too few rows. */
  public double lastError(List<double[]> rows) {
    INDArray in = inputs(rows, Math.max(0, rows.size() - length), rows.size());
    return in == null ? Double.NaN : errors(in)[0];
  }

  /**
   * Raw errors of the newest {@code count} inputs (those ending at each of the last {@code count} rows), oldest
   * first, in one batch; fewer when there are too few rows.
   */
  public double[] lastErrors(List<double[]> rows, int count) {
    INDArray in = inputs(rows, Math.max(0, rows.size() - (length - 1) - count), rows.size());
    return in == null ? new double[0] : errors(in);
  }

  public ModelKind kind() {
    return kind;
  }

  public MultiLayerNetwork net() {
    return net;
  }

  public Scaling scaling() {
    return scaling;
  }

  /** Rows per input: the sequence length for an LSTM, 1 for a dense model. */
  public int length() {
    return length;
  }

  public Map<String, Double> calibration() {
    return calibration;
  }
}
