package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {
  static final ModelTrainer.Settings SMALL = new ModelTrainer.Settings(8, 8, 12, 64, 0.01, 3, 0.1, 5000, 7);
  static TrainedModel lstm;

  @BeforeAll
  static void train() {
    List<double[]> rows = SyntheticSeries.seasonal(360, 1);
    lstm = new ModelTrainer(SMALL).train(new TrainingSet(ModelKind.LSTM, ModelKind.seriesKey("web-1", "cpu"),
        SyntheticSeries.FEATURES, rows, 0, 360 * 60_000L));
  }

  @Test
  void lstmErrorIsLowOnNormalSequencesAndClearlyHigherOnASpikeOrALevelShift() {
    ScoringModel m = lstm.scoring();
    double normal = m.lastError(SyntheticSeries.continued(360, 8, 99, 8, 0));
    List<double[]> spike = SyntheticSeries.continued(360, 8, 99, 8, 0);
    double[] last = spike.get(7).clone();
    last[0] += 40;
    last[2] += 40;
    last[3] += 40;
    spike.set(7, last);
    double spikeError = m.lastError(spike);
    double shiftError = m.lastError(SyntheticSeries.continued(360, 8, 99, 3, 25));

    double p99 = m.calibration().get(ScoringModel.ERROR_P99);
    assertThat(normal).isLessThanOrEqualTo(p99 * 1.5);
    assertThat(spikeError).isGreaterThan(3 * normal).isGreaterThan(p99);
    assertThat(shiftError).isGreaterThan(3 * normal).isGreaterThan(p99);
  }

  @Test
  void calibrationFollowsTheContract() {
    assertThat(lstm.calibration()).containsEntry(ScoringModel.SEQUENCE_LENGTH, 8.0)
        .containsKeys(ScoringModel.ERROR_MEDIAN, ScoringModel.ERROR_MAD, ScoringModel.ERROR_P99,
            "scale.mean.mean", "scale.std.mean", "scale.mean.max", "scale.std.max");
    assertThat(lstm.calibration().get(ScoringModel.ERROR_P99))
        .isGreaterThanOrEqualTo(lstm.calibration().get(ScoringModel.ERROR_MEDIAN));
    assertThat(lstm.calibration().get("scale.mean.mean")).isCloseTo(50, org.assertj.core.data.Offset.offset(2.0));
    assertThat(lstm.features()).containsExactlyElementsOf(SyntheticSeries.FEATURES);
    assertThat(lstm.windows()).isEqualTo(360);
    assertThat(lstm.samples()).isLessThan(360 - 8 + 1); // a tail held out
    assertThat(lstm.epochs()).isBetween(1, SMALL.epochs());
    assertThat(lstm.validationLoss()).isFinite();
  }

  @Test
  void theSameWindowsAndSeedGiveTheSameModel() {
    List<double[]> rows = SyntheticSeries.seasonal(60, 3);
    ModelTrainer.Settings tiny = SMALL.withEpochs(2);
    TrainingSet set = new TrainingSet(ModelKind.LSTM, "k", SyntheticSeries.FEATURES, rows, 0, 1);
    TrainedModel a = new ModelTrainer(tiny).train(set);
    TrainedModel b = new ModelTrainer(tiny).train(set);
    assertThat(a.net().params().toFloatVector()).containsExactly(b.net().params().toFloatVector());
    assertThat(a.calibration()).isEqualTo(b.calibration());
  }

  @Test
  void denseAutoencoderFlagsACorrelatedShiftAcrossMetrics() {
    Random r = new Random(5);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double load = 50 + 20 * Math.sin(2 * Math.PI * i / 24) + r.nextGaussian();
      // cpu and latency move together; memory is independent
      rows.add(new double[] {load, 100 + 2 * load + r.nextGaussian(), 30 + r.nextGaussian()});
    }
    TrainedModel dense = new ModelTrainer(SMALL.withEpochs(30)).train(new TrainingSet(ModelKind.DENSE,
        ModelKind.entityKey("web-1"), List.of("cpu:mean", "latency:mean", "memory:mean"), rows, 0, 1));
    ScoringModel m = dense.scoring();
    double normal = m.lastError(List.of(new double[] {60, 220, 30}));
    // latency rises while cpu is ordinary: each value is within its own range, the combination is not
    double broken = m.lastError(List.of(new double[] {40, 230, 30}));
    assertThat(broken).isGreaterThan(3 * normal).isGreaterThan(m.calibration().get(ScoringModel.ERROR_P99));
    // a missing series scales to 0 (its mean) and still scores
    assertThat(m.lastError(List.of(new double[] {60, 220, Double.NaN}))).isFinite();
  }

  @Test
  void errorStatisticsAreMedianMadAndP99() {
    double[] errors = new double[100];
    for (int i = 0; i < 100; i++) {
      errors[i] = i + 1;
    }
    var s = ModelTrainer.errorStatistics(errors);
    assertThat(s.get(ScoringModel.ERROR_MEDIAN)).isEqualTo(50.5);
    assertThat(s.get(ScoringModel.ERROR_MAD)).isEqualTo(25.0);
    assertThat(s.get(ScoringModel.ERROR_P99)).isBetween(99.0, 100.0);
  }
}
