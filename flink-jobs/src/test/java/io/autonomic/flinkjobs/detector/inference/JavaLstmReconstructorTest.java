package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.flinkjobs.model.ModelKind;
import io.autonomic.flinkjobs.model.ModelTrainer;
import io.autonomic.flinkjobs.model.Networks;
import io.autonomic.flinkjobs.model.ScoringModel;
import io.autonomic.flinkjobs.model.SyntheticSeries;
import io.autonomic.flinkjobs.model.TrainedModel;
import io.autonomic.flinkjobs.model.TrainingSet;
import java.util.List;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Parity of the plain-Java LSTM autoencoder with DL4J's {@code net.output} on the same weights. */
class JavaLstmReconstructorTest {
  static final int F = 4;
  static final int N = 16;
  static MultiLayerNetwork trained;
  static float[] trainedInput;
  static int trainedBatch;

  @BeforeAll
  static void train() {
    // the trainer's default network (16 units, N = 16), briefly trained on a seasonal series, scored on a
    // continuation with a level shift so some errors are large
    ModelTrainer trainer = new ModelTrainer(ModelTrainer.Settings.defaults().withEpochs(3));
    TrainedModel m = trainer.train(new TrainingSet(ModelKind.LSTM, "lstm-autoencoder/web-1/cpu",
        SyntheticSeries.FEATURES, SyntheticSeries.seasonal(300, 2), 0, 1));
    trained = m.net();
    ScoringModel scoring = m.scoring();
    List<double[]> rows = SyntheticSeries.continued(300, 120, 3, 60, 30);
    INDArray in = scoring.inputs(rows);
    trainedBatch = (int) in.size(0);
    trainedInput = in.dup('c').data().asFloat();
  }

  @Test
  void reproducesDl4jOnATrainedNetwork() {
    assertThat(trainedBatch).isGreaterThan(64); // more than one chunk
    assertParity(trained, trainedInput, trainedBatch, new JavaLstmReconstructor(
        LstmAutoencoderWeights.of(trained, F, N)));
  }

  @Test
  void reproducesDl4jOnRandomNetworksAndInputs() {
    for (long seed = 1; seed <= 3; seed++) {
      MultiLayerNetwork net = Networks.lstmAutoencoder(F, N, 16, seed, 0.01);
      // scaled inputs reach the contract's clamp at ±10, so the activations' saturated ranges are covered
      float[] input = random(300, seed, 4);
      for (int batch : new int[] {1, 37, 64, 300}) {
        assertParity(net, input, batch, JavaLstmReconstructor.of(net, F, N));
      }
    }
  }

  @Test
  void reproducesDl4jForOtherShapesAndChunkSizes() {
    // the trainer's options change F, N and units; the chunk must not change the numbers
    MultiLayerNetwork net = Networks.lstmAutoencoder(3, 7, 10, 5, 0.01);
    float[] input = new float[50 * 3 * 7];
    Random r = new Random(9);
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) r.nextGaussian();
    }
    LstmAutoencoderWeights w = LstmAutoencoderWeights.of(net, 3, 7);
    for (int chunk : new int[] {1, 8, 50, 128}) {
      assertParity(net, input, 50, new JavaLstmReconstructor(w, chunk, false));
    }
    assertParity(net, input, 50, new JavaLstmReconstructor(w, 16, true));
  }

  @Test
  void reusesItsBuffersAcrossCallsOfDifferentSizes() {
    JavaLstmReconstructor r = JavaLstmReconstructor.of(trained, F, N);
    assertParity(trained, trainedInput, trainedBatch, r);
    assertParity(trained, trainedInput, 5, r);
    assertParity(trained, trainedInput, trainedBatch, r);
  }

  @Test
  void refusesANetworkOfAnotherShape() {
    MultiLayerNetwork dense = Networks.denseAutoencoder(8, 1, 0.01);
    assertThat(LstmAutoencoderWeights.unsupported(dense, 8, 1)).contains("not LastTimeStep(LSTM)");
    MultiLayerNetwork lstm = Networks.lstmAutoencoder(F, N, 16, 1, 0.01);
    assertThat(LstmAutoencoderWeights.unsupported(lstm, F, N)).isNull();
    assertThat(LstmAutoencoderWeights.unsupported(lstm, F, 8)).contains("RepeatVector of 8");
    assertThatThrownBy(() -> LstmAutoencoderWeights.of(lstm, 3, N)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encoder");
  }

  static float[] random(int batch, long seed, double sigma) {
    Random r = new Random(seed);
    float[] input = new float[batch * F * N];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) Math.max(-10, Math.min(10, r.nextGaussian() * sigma));
    }
    return input;
  }

  /** Errors within 1e-4 relative (plus 1e-7 absolute), last-step reconstruction within 1e-4 of DL4J's. */
  static void assertParity(MultiLayerNetwork net, float[] input, int batch, Reconstructor r) {
    int f = (int) net.layerInputSize(0);
    int n = ((RepeatVector) net.getLayerWiseConfigurations().getConf(1).getLayer()).getN();
    int cells = f * n;
    INDArray in = Nd4j.create(Arrays.copyOf(input, batch * cells), new long[] {batch, f, n}, 'c')
        .castTo(DataType.FLOAT);
    float[] out = net.output(in).dup('c').data().asFloat();
    double[] errors = new double[batch];
    float[] last = new float[batch * f];
    r.reconstruct(input, batch, errors, last);
    for (int b = 0; b < batch; b++) {
      double sum = 0;
      for (int cell = 0; cell < cells; cell++) {
        double d = (double) out[b * cells + cell] - input[b * cells + cell];
        sum += d * d;
      }
      double expected = sum / cells;
      assertThat(errors[b]).as("error of sequence %d of %d", b, batch)
          .isCloseTo(expected, within(1e-7 + 1e-4 * expected));
      for (int i = 0; i < f; i++) {
        assertThat(last[b * f + i]).as("last step, sequence %d feature %d", b, i)
            .isCloseTo(out[b * cells + i * n + n - 1], within(1e-4f));
      }
    }
  }
}
