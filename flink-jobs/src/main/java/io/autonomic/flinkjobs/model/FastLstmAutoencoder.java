package io.autonomic.flinkjobs.model;

import java.io.Serializable;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass of a trained {@link Networks#lstmAutoencoder} in plain Java, for scoring one sequence at a time.
 * DL4J costs ~30 ms per single-sequence call here (hundreds of native op launches for 2 x N LSTM steps, measured
 * on the shared 2-core machine) against microseconds for the few thousand multiply-adds the tiny network needs, so
 * a point-by-point scorer (the NAB backtest's {@code SeriesScorer}) uses this copy of the weights; batched scoring
 * keeps using DL4J. {@code FastLstmAutoencoderTest} checks it against DL4J's output. Gate layout of DL4J's LSTM:
 * the 4n pre-activation columns are [block input (tanh) | forget | output | input gate] (sigmoids).
 */
public final class FastLstmAutoencoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int features;
  private final int units;
  private final int length;
  private final Lstm encoder;
  private final Lstm decoder;
  private final float[][] outW;
  private final float[] outB;

  private record Lstm(float[][] w, float[][] rw, float[] b) implements Serializable {}

  private FastLstmAutoencoder(int features, int units, int length, Lstm encoder, Lstm decoder, float[][] outW,
      float[] outB) {
    this.features = features;
    this.units = units;
    this.length = length;
    this.encoder = encoder;
    this.decoder = decoder;
    this.outW = outW;
    this.outB = outB;
  }

  /** Copies the weights of a network built by {@link Networks#lstmAutoencoder}. */
  public static FastLstmAutoencoder of(MultiLayerNetwork net, int length) {
    Map<String, INDArray> enc = net.getLayer(0).paramTable();
    Map<String, INDArray> dec = net.getLayer(2).paramTable();
    Map<String, INDArray> out = net.getLayer(3).paramTable();
    Lstm e = lstm(enc);
    Lstm d = lstm(dec);
    float[][] w = out.get(DefaultParamInitializer.WEIGHT_KEY).toFloatMatrix();
    float[] b = out.get(DefaultParamInitializer.BIAS_KEY).toFloatVector();
    return new FastLstmAutoencoder(e.w.length, e.rw.length, length, e, d, w, b);
  }

  private static Lstm lstm(Map<String, INDArray> p) {
    return new Lstm(p.get(LSTMParamInitializer.INPUT_WEIGHT_KEY).toFloatMatrix(),
        p.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY).toFloatMatrix(),
        p.get(LSTMParamInitializer.BIAS_KEY).toFloatVector());
  }

  /** The reconstruction of one scaled sequence {@code x[feature][t]}. */
  public float[][] reconstruct(float[][] x) {
    float[] h = new float[units];
    float[] c = new float[units];
    float[] in = new float[features];
    for (int t = 0; t < length; t++) {
      for (int j = 0; j < features; j++) {
        in[j] = x[j][t];
      }
      step(encoder, in, h, c);
    }
    float[] code = h.clone();
    float[] hd = new float[units];
    float[] cd = new float[units];
    float[][] y = new float[features][length];
    for (int t = 0; t < length; t++) {
      step(decoder, code, hd, cd);
      for (int j = 0; j < features; j++) {
        float s = outB[j];
        for (int k = 0; k < units; k++) {
          s += hd[k] * outW[k][j];
        }
        y[j][t] = s;
      }
    }
    return y;
  }

  /** Raw error of one scaled sequence: mean over its cells of (output - input)^2, as {@link ScoringModel}. */
  public double error(float[][] x) {
    float[][] y = reconstruct(x);
    double s = 0;
    for (int j = 0; j < features; j++) {
      for (int t = 0; t < length; t++) {
        double d = y[j][t] - x[j][t];
        s += d * d;
      }
    }
    return s / (features * length);
  }

  private void step(Lstm l, float[] input, float[] h, float[] c) {
    int n = units;
    float[] z = l.b.clone();
    for (int i = 0; i < input.length; i++) {
      float xi = input[i];
      float[] row = l.w[i];
      for (int k = 0; k < 4 * n; k++) {
        z[k] += xi * row[k];
      }
    }
    for (int i = 0; i < n; i++) {
      float hi = h[i];
      float[] row = l.rw[i];
      for (int k = 0; k < 4 * n; k++) {
        z[k] += hi * row[k];
      }
    }
    for (int k = 0; k < n; k++) {
      double a = Math.tanh(z[k]);
      double f = sigmoid(z[n + k]);
      double o = sigmoid(z[2 * n + k]);
      double g = sigmoid(z[3 * n + k]);
      c[k] = (float) (f * c[k] + g * a);
      h[k] = (float) (o * Math.tanh(c[k]));
    }
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  public int length() {
    return length;
  }

  public int features() {
    return features;
  }
}
