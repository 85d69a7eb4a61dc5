package io.autonomic.flinkjobs.detector.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small LSTM autoencoder of the contract's shape, for tests and benchmarks: an LSTM encoder whose last step is
 * repeated N times into an LSTM decoder and a per-step linear output, input and output {@code [batch, F, N]}.
 */
public final class TinyLstmAutoencoder {
  private TinyLstmAutoencoder() {}

  public static MultiLayerNetwork create(int features, int sequenceLength, int units, long seed) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER)
        .updater(new Adam(0.01))
        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
        .list()
        .layer(new LastTimeStep(new LSTM.Builder().nIn(features).nOut(units).activation(Activation.TANH).build()))
        .layer(new RepeatVector.Builder(sequenceLength).dataFormat(RNNFormat.NCW).build())
        .layer(new LSTM.Builder().nIn(units).nOut(units).activation(Activation.TANH).build())
        .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(units).nOut(features)
            .activation(Activation.IDENTITY).build())
        .setInputType(InputType.recurrent(features, sequenceLength))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** Trains the network to reconstruct {@code x} ({@code [batch, F, N]}, already scaled). */
  public static void train(MultiLayerNetwork net, INDArray x, int epochs) {
    for (int i = 0; i < epochs; i++) {
      net.fit(x, x);
    }
  }

  /** Random scaled sequences (for benchmarks, where the weights do not matter). */
  public static INDArray randomInput(int batch, int features, int sequenceLength, long seed) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.randn(DataType.FLOAT, batch, features, sequenceLength);
  }
}
