package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class FastLstmAutoencoderTest {
  @Test
  void reproducesDl4jsReconstructionErrors() {
    TrainedModel m = new ModelTrainer(ModelTrainerTest.SMALL.withEpochs(2)).train(new TrainingSet(ModelKind.LSTM,
        "k", SyntheticSeries.FEATURES, SyntheticSeries.seasonal(60, 2), 0, 1));
    ScoringModel scoring = m.scoring();
    List<double[]> rows = SyntheticSeries.continued(60, 20, 3, 10, 30);
    INDArray in = scoring.inputs(rows);
    double[] dl4j = scoring.errors(in);
    FastLstmAutoencoder fast = FastLstmAutoencoder.of(m.net(), 8);
    for (int b = 0; b < dl4j.length; b++) {
      float[][] x = new float[4][8];
      for (int j = 0; j < 4; j++) {
        for (int t = 0; t < 8; t++) {
          x[j][t] = in.getFloat(b, j, t);
        }
      }
      assertThat(fast.error(x)).as("sequence " + b).isCloseTo(dl4j[b], within(1e-4 + 1e-4 * dl4j[b]));
    }
  }
}
