package io.autonomic.flinkjobs.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The two network shapes of the model contract, built from a seed so training is reproducible. */
public final class Networks {
  private Networks() {}

  /**
   * LSTM autoencoder over {@code [batch, features, length]} (NCW): an LSTM encoder whose last hidden state (the
   * {@code units}-wide code) is repeated over the sequence and decoded by a second LSTM into an identity
   * RnnOutputLayer trained with MSE. The code is the bottleneck: a sequence the encoder has not learned to
   * summarise comes back distorted.
   */
  public static MultiLayerNetwork lstmAutoencoder(int features, int length, int units, long seed, double lr) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER)
        .updater(new Adam(lr))
        .list()
        .layer(new LastTimeStep(new LSTM.Builder().nIn(features).nOut(units).activation(Activation.TANH)
            .dataFormat(RNNFormat.NCW).build()))
        .layer(new RepeatVector.Builder(length).dataFormat(RNNFormat.NCW).build())
        .layer(new LSTM.Builder().nIn(units).nOut(units).activation(Activation.TANH).dataFormat(RNNFormat.NCW)
            .build())
        .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
            .nIn(units).nOut(features).dataFormat(RNNFormat.NCW).build())
        .setInputType(InputType.recurrent(features, length, RNNFormat.NCW))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** Dense autoencoder over {@code [batch, features]}: features → hidden → bottleneck → hidden → features. */
  public static MultiLayerNetwork denseAutoencoder(int features, long seed, double lr) {
    int hidden = Math.max(8, features / 2);
    int bottleneck = Math.max(2, Math.min(features / 4, 16));
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER)
        .updater(new Adam(lr))
        .list()
        .layer(new DenseLayer.Builder().nIn(features).nOut(hidden).activation(Activation.TANH).build())
        .layer(new DenseLayer.Builder().nIn(hidden).nOut(bottleneck).activation(Activation.TANH).build())
        .layer(new DenseLayer.Builder().nIn(bottleneck).nOut(hidden).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
            .nIn(hidden).nOut(features).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }
}
