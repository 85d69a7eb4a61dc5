package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.flinkjobs.model.Nd4jRuntime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.flinkjobs.model.ModelKind;
import io.autonomic.flinkjobs.model.Networks;
import io.autonomic.flinkjobs.model.Scaling;
import io.autonomic.flinkjobs.model.ScoringModel;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The detector's batched dense inference gives what the trainer computes for the same network and inputs. */
class DenseReconstructorTest {
  @Test
  void errorsAndReconstructionsMatchTheTrainersScoringOfTheSameNetwork() {
    Nd4jRuntime.init();
    int f = 6;
    MultiLayerNetwork net = Networks.denseAutoencoder(f, 7, 0.01).convertDataType(DataType.FLOAT);
    Random random = new Random(3);
    float[] input = new float[5 * f];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextGaussian();
    }
    INDArray batch = Nd4j.create(input, new long[] {5, f}, 'c');
    double[] trainer = new ScoringModel(ModelKind.DENSE, net, new Scaling(new String[f], new double[f],
        new double[f]), 1, Map.of()).errors(batch);
    float[] expected = net.output(batch, false).reshape(5L * f).toFloatVector();

    DenseReconstructor r = new DenseReconstructor(net.clone(), f);
    double[] errors = new double[5];
    float[] out = new float[5 * f];
    for (int run = 0; run < 2; run++) { // the second run reuses the input array and the workspace
      r.reconstruct(input, 5, errors, out);
      for (int b = 0; b < 5; b++) {
        assertThat(errors[b]).isCloseTo(trainer[b], within(1e-5));
        float[] mine = java.util.Arrays.copyOfRange(out, b * f, (b + 1) * f);
        float[] reconstruction = java.util.Arrays.copyOfRange(input, b * f, (b + 1) * f);
        assertThat(DenseInput.error(reconstruction, mine)).isCloseTo(errors[b], within(1e-5));
      }
      assertThat(out).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }
}
