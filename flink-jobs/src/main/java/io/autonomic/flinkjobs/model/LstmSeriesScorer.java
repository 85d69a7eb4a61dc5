package io.autonomic.flinkjobs.model;

import io.autonomic.flinkjobs.detector.scoring.AnomalyLikelihood;
import io.autonomic.flinkjobs.detector.scoring.Score;
import io.autonomic.flinkjobs.detector.scoring.SeriesScorer;
import java.util.ArrayList;
import java.util.List;

/**
 * The LSTM autoencoder as a point-by-point {@link SeriesScorer} for the backtest ({@code --detector lstm}): each
 * point is one window with one feature (its value). The series starts with no model; after {@code firstTrain}
 * points an LSTM autoencoder is trained on the points seen so far, and it is retrained on the newest
 * {@code maxTrain} points each time the series has grown {@code growth}-fold (at least every {@code maxPeriod}
 * points). No
 * look-ahead: the score of a point uses only that point and earlier ones, with a model trained only on points
 * before it (training happens after the point that triggers it is scored). The raw error of the last
 * {@code sequence.length} values is robustly standardised by the model's own calibration (error.median,
 * error.mad), so successive models feed one {@link AnomalyLikelihood}. Training uses DL4J; scoring uses
 * {@link FastLstmAutoencoder} (same output, without DL4J's per-call cost).
 */
public final class LstmSeriesScorer implements SeriesScorer {
  private static final long serialVersionUID = 1L;

  public static final String NAME = "lstm";
  /** Version of this scorer's configuration (AnomalyEvent.modelVersions holds a long). */
  public static final String VERSION = "1";

  private final ModelTrainer.Settings settings;
  private final int firstTrain;
  private final int maxTrain;
  private final int maxPeriod;
  private final int growth;
  private final AnomalyLikelihood likelihood;
  private final double[] history;
  private long seen;
  private long nextTrain;
  private FastLstmAutoencoder model;
  private Scaling scaling;
  private double median;
  private double spread;
  private int trainings;

  public LstmSeriesScorer(ModelTrainer.Settings settings, int firstTrain, int maxTrain, int growth, int maxPeriod,
      AnomalyLikelihood likelihood) {
    this.growth = Math.max(2, growth);
    this.settings = settings;
    this.firstTrain = firstTrain;
    this.maxTrain = maxTrain;
    this.maxPeriod = maxPeriod;
    this.likelihood = likelihood;
    this.history = new double[maxTrain];
    this.nextTrain = firstTrain;
  }

  /**
   * The configuration the backtest uses: N = 16, 8 units, at most 5 epochs on the newest 600 points; the first
   * model after 400 points (NAB's probationary period is 15% of a file, 600 of the usual 4032 rows), retrained at
   * 2000 points and then every 6000. Few, small trainings: the whole corpus trains ~100 models.
   */
  public static LstmSeriesScorer create() {
    return new LstmSeriesScorer(new ModelTrainer.Settings(16, 8, 5, 128, 0.01, 2, 0.1, 600, 42), 400, 600, 5,
        6000, new AnomalyLikelihood(1, 100, 2000, 50, 0.1));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String modelVersion() {
    return VERSION;
  }

  @Override
  public Score update(long eventTimeMillis, double value) {
    if (!Double.isFinite(value)) {
      return Score.none(Double.NaN);
    }
    history[(int) (seen % history.length)] = value;
    seen++;
    Score score = Score.none(Double.NaN);
    if (model != null && seen >= model.length()) {
      int n = model.length();
      float[][] x = new float[1][n];
      for (int t = 0; t < n; t++) {
        x[0][t] = scaling.scale(0, history[(int) ((seen - n + t) % history.length)]);
      }
      double raw = (model.error(x) - median) / spread;
      score = new Score(raw, likelihood.update(raw), Double.NaN);
    }
    if (seen >= nextTrain) {
      train();
      nextTrain = Math.min(seen * growth, seen + maxPeriod);
    }
    return score;
  }

  private void train() {
    int n = (int) Math.min(seen, history.length);
    List<double[]> rows = new ArrayList<>(n);
    for (long i = seen - n; i < seen; i++) {
      rows.add(new double[] {history[(int) (i % history.length)]});
    }
    TrainedModel m = new ModelTrainer(settings).train(new TrainingSet(ModelKind.LSTM, NAME, List.of("value"), rows,
        0, 0));
    model = FastLstmAutoencoder.of(m.net(), settings.sequenceLength());
    scaling = Scaling.fromCalibration(List.of("value"), m.calibration());
    median = m.calibration().get(ScoringModel.ERROR_MEDIAN);
    spread = Math.max(1.4826 * m.calibration().get(ScoringModel.ERROR_MAD), 1e-6);
    trainings++;
  }

  /** Models trained so far (for tests and diagnostics). */
  public int trainings() {
    return trainings;
  }
}
