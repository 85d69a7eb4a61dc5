package io.autonomic.flinkjobs.detector.inference;

import java.util.Map;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weights of an LSTM autoencoder of the model contract's shape ({@code model.Networks#lstmAutoencoder}: LSTM
 * encoder, its last step repeated N times, LSTM decoder, per-step identity output), copied out of a DL4J network
 * into flat float arrays, immutable, shared by every {@link JavaLstmReconstructor} of one artifact. DL4J stays the
 * model format: the network is the one {@link ModelCache} loaded and sha256-verified.
 *
 * <p>DL4J's LSTM (no peepholes) computes per step {@code z = x W + h RW + b}, 4u columns in the order
 * [block input (activation fn) | forget | output | input gate] (gate fn), {@code c = f * c + i * a},
 * {@code h = o * tanh(c)}. Arrays are row-major: {@code encW[i * 4u + k]}, {@code outW[j * F + f]}.
 */
public final class LstmAutoencoderWeights {
  public final int features;
  public final int steps;
  public final int units;
  final float[] encW;
  final float[] encR;
  final float[] encB;
  final float[] decW;
  final float[] decR;
  final float[] decB;
  final float[] outW;
  final float[] outB;

  private LstmAutoencoderWeights(int features, int steps, int units, float[] encW, float[] encR, float[] encB,
      float[] decW, float[] decR, float[] decB, float[] outW, float[] outB) {
    this.features = features;
    this.steps = steps;
    this.units = units;
    this.encW = encW;
    this.encR = encR;
    this.encB = encB;
    this.decW = decW;
    this.decR = decR;
    this.decB = decB;
    this.outW = outW;
    this.outB = outB;
  }

  /**
   * Why {@code net} is not an LSTM autoencoder this class can run for inputs of {@code features} x {@code steps}
   * (a sentence for the log), or null when it is.
   */
  public static String unsupported(MultiLayerNetwork net, int features, int steps) {
    if (net.getnLayers() != 4) {
      return "expected 4 layers (LastTimeStep(LSTM), RepeatVector, LSTM, RnnOutputLayer), found " + net.getnLayers();
    }
    Layer l0 = net.getLayerWiseConfigurations().getConf(0).getLayer();
    Layer l1 = net.getLayerWiseConfigurations().getConf(1).getLayer();
    Layer l2 = net.getLayerWiseConfigurations().getConf(2).getLayer();
    Layer l3 = net.getLayerWiseConfigurations().getConf(3).getLayer();
    if (!(l0 instanceof LastTimeStep last) || last.getUnderlying().getClass() != LSTM.class) {
      return "layer 0 is not LastTimeStep(LSTM): " + l0.getClass().getSimpleName();
    }
    LSTM enc = (LSTM) last.getUnderlying();
    if (!(l1 instanceof RepeatVector repeat) || repeat.getN() != steps || !ncw(repeat.getDataFormat())) {
      return "layer 1 is not an NCW RepeatVector of " + steps;
    }
    if (l2.getClass() != LSTM.class) {
      return "layer 2 is not an LSTM: " + l2.getClass().getSimpleName();
    }
    LSTM dec = (LSTM) l2;
    if (l3.getClass() != RnnOutputLayer.class) {
      return "layer 3 is not an RnnOutputLayer: " + l3.getClass().getSimpleName();
    }
    RnnOutputLayer out = (RnnOutputLayer) l3;
    String lstm = checkLstm("encoder", enc, features);
    if (lstm == null) {
      lstm = checkLstm("decoder", dec, enc.getNOut());
    }
    if (lstm != null) {
      return lstm;
    }
    if (!(out.getActivationFn() instanceof ActivationIdentity) || !out.hasBias() || out.getNIn() != dec.getNOut()
        || out.getNOut() != features || !ncw(out.getRnnDataFormat())) {
      return "output layer is not an NCW identity layer " + dec.getNOut() + " -> " + features + " with bias";
    }
    return null;
  }

  private static String checkLstm(String name, LSTM l, long nIn) {
    if (!(l.getActivationFn() instanceof ActivationTanH) || !(l.getGateActivationFn() instanceof ActivationSigmoid)
        || !ncw(l.getRnnDataFormat()) || l.getNIn() != nIn) {
      return name + " is not an NCW LSTM with tanh activation and sigmoid gates over " + nIn + " inputs";
    }
    return null;
  }

  private static boolean ncw(RNNFormat format) {
    return format == null || format == RNNFormat.NCW;
  }

  /** Copies the weights of {@code net}; throws {@link IllegalArgumentException} when {@link #unsupported} says why. */
  public static LstmAutoencoderWeights of(MultiLayerNetwork net, int features, int steps) {
    String why = unsupported(net, features, steps);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    Map<String, INDArray> enc = net.getLayer(0).paramTable();
    Map<String, INDArray> dec = net.getLayer(2).paramTable();
    Map<String, INDArray> out = net.getLayer(3).paramTable();
    int units = (int) ((LSTM) net.getLayerWiseConfigurations().getConf(2).getLayer()).getNOut();
    return new LstmAutoencoderWeights(features, steps, units,
        flat(enc.get(LSTMParamInitializer.INPUT_WEIGHT_KEY), features, 4 * units),
        flat(enc.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY), units, 4 * units),
        flat(enc.get(LSTMParamInitializer.BIAS_KEY), 1, 4 * units),
        flat(dec.get(LSTMParamInitializer.INPUT_WEIGHT_KEY), units, 4 * units),
        flat(dec.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY), units, 4 * units),
        flat(dec.get(LSTMParamInitializer.BIAS_KEY), 1, 4 * units),
        flat(out.get(DefaultParamInitializer.WEIGHT_KEY), units, features),
        flat(out.get(DefaultParamInitializer.BIAS_KEY), 1, features));
  }

  /** Row-major copy of a {@code rows x cols} parameter, checking its shape. */
  private static float[] flat(INDArray p, int rows, int cols) {
    if (p == null || p.length() != (long) rows * cols || (p.rank() == 2 && p.size(0) != rows && rows > 1)) {
      throw new IllegalArgumentException("parameter shape " + (p == null ? "missing" : java.util.Arrays.toString(
          p.shape())) + ", expected " + rows + " x " + cols);
    }
    float[] a = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        a[r * cols + c] = rows == 1 ? p.getFloat((long) c) : p.getFloat(r, c);
      }
    }
    return a;
  }
}
