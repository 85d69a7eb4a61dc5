package io.autonomic.flinkjobs.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.inference.BatchScorer;
import io.autonomic.flinkjobs.detector.inference.ModelAcceptance;
import io.autonomic.flinkjobs.detector.inference.ModelCache;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.detector.inference.SeriesHistory;
import io.autonomic.flinkjobs.model.ModelKind;
import io.autonomic.flinkjobs.model.ModelStore;
import io.autonomic.flinkjobs.model.ModelTrainer;
import io.autonomic.flinkjobs.model.ScoringModel;
import io.autonomic.flinkjobs.model.StoredModel;
import io.autonomic.flinkjobs.model.SyntheticSeries;
import io.autonomic.flinkjobs.model.TrainedModel;
import io.autonomic.flinkjobs.model.TrainingSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two sides of the model contract, end to end without Kafka: a series model trained by the trainer and stored
 * in its store, announced exactly as the publisher announces it (the stored ModelUpdate), is accepted by the
 * detector, and the detector's micro-batched DL4J path gives the trainer's raw errors on the same windows.
 */
class ModelContractTest {
  static final ModelTrainer.Settings TINY = new ModelTrainer.Settings(6, 6, 3, 64, 0.01, 3, 0.1, 5000, 11);
  static final int WINDOWS = 80;

  @TempDir
  static Path store;
  static List<double[]> rows;
  static TrainedModel trained;
  static StoredModel stored;

  @BeforeAll
  static void trainAndStore() {
    rows = SyntheticSeries.seasonal(WINDOWS, 3);
    trained = new ModelTrainer(TINY).train(new TrainingSet(ModelKind.LSTM, ModelKind.seriesKey("web-1", "cpu"),
        SyntheticSeries.FEATURES, rows, 0, WINDOWS * 60_000L));
    stored = new ModelStore(store, 3).save(trained, Instant.parse("2026-01-01T00:00:00Z"));
    ModelCache.clear();
  }

  /** What ModelPublisher sends: the stored update, unchanged. */
  static ModelUpdate announced() {
    return stored.update();
  }

  @Test
  void theDetectorAcceptsTheTrainersAnnouncementUnderTheKeyItLooksUp() {
    ModelAcceptance.Decision d = ModelAcceptance.decide(announced(), null, ModelCache::load);

    assertThat(d.outcome()).as(d.reason()).isEqualTo(ModelAcceptance.Outcome.ACCEPTED);
    assertThat(announced().getModelKey()).isEqualTo(ModelSpec.lstmKey("web-1", "cpu"));
    assertThat(d.spec().sequenceLength).isEqualTo(TINY.sequenceLength());
    assertThat(d.spec().features).containsExactlyElementsOf(SyntheticSeries.FEATURES);
    assertThat(ModelAcceptance.decide(announced(), d.spec(), ModelCache::load).outcome())
        .isEqualTo(ModelAcceptance.Outcome.STALE);
  }

  @Test
  void theDetectorScalesEveryValueAsTheTrainerDoes() {
    ModelSpec spec = ModelSpec.from(announced());
    ScoringModel model = trained.scoring();
    double[] probes = {0, 1, -1, 35.5, 1e6, -1e6, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (int j = 0; j < spec.features.length; j++) {
      for (double x : probes) {
        assertThat(spec.scale(j, x)).as("%s of %s", spec.features[j], x).isEqualTo(model.scaling().scale(j, x));
      }
      assertThat(spec.scaleMean[j]).isEqualTo(model.scaling().mean(j));
      assertThat(spec.scaleStd[j]).isEqualTo(model.scaling().std(j));
    }
  }

  @Test
  void theDetectorsBatchedRawErrorsEqualTheTrainersOnTheSameWindows() throws Exception {
    ModelSpec spec = ModelAcceptance.decide(announced(), null, ModelCache::load).spec();
    List<double[]> windows = new ArrayList<>(rows.subList(WINDOWS - 20, WINDOWS));
    double[] spiked = windows.get(15).clone();
    Arrays.setAll(spiked, i -> spiked[i] + 30);
    windows.set(15, spiked);
    windows.set(16, new double[] {Double.NaN, 2, 40, 60}); // a missing value scales to 0 on both sides

    SeriesHistory history = new SeriesHistory(spec.sequenceLength);
    List<BatchScorer.Pending> batch = new ArrayList<>();
    List<ModelScoring> done = new ArrayList<>();
    for (double[] row : windows) {
      history.add(seriesVector(row));
      float[] input = new float[spec.cells()];
      if (history.sequence(spec, input, 0)) {
        batch.add(new BatchScorer.Pending(ModelScoring.request(new SeriesFeatures(), spec, input), done::add));
      }
    }
    new BatchScorer(BatchScorer::dl4j).run(spec.artifactId(), batch);

    ScoringModel reference = ScoringModel.of(ModelKind.LSTM, ModelStore.load(announced()),
        announced().getFeatures(), announced().getCalibration());
    double[] expected = reference.errors(reference.inputs(windows));
    assertThat(done).hasSize(expected.length).hasSize(windows.size() - spec.sequenceLength + 1);
    for (int i = 0; i < expected.length; i++) {
      assertThat(done.get(i).error).as("window %d", i).isCloseTo(expected[i], within(1e-5 + 1e-5 * expected[i]));
    }
    assertThat(done.get(15 - spec.sequenceLength + 1).error).as("the spike stands out")
        .isGreaterThan(3 * done.get(0).error);
  }

  /** A window's full feature vector ({@link SeriesFeatures#NAMES} order) with the trainer's features filled in. */
  static double[] seriesVector(double[] row) {
    double[] v = new double[SeriesFeatures.NAMES.length];
    Arrays.fill(v, -12345);
    List<String> names = Arrays.asList(SeriesFeatures.NAMES);
    for (int j = 0; j < SyntheticSeries.FEATURES.size(); j++) {
      v[names.indexOf(SyntheticSeries.FEATURES.get(j))] = row[j];
    }
    return v;
  }
}
