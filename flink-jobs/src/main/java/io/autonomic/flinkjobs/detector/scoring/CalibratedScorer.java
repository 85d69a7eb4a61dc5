package io.autonomic.flinkjobs.detector.scoring;

/** A {@link RawErrorModel} whose errors are calibrated by an {@link AnomalyLikelihood}. */
public final class CalibratedScorer implements SeriesScorer {

  private static final long serialVersionUID = 1L;

  private final RawErrorModel model;
  private final AnomalyLikelihood likelihood;
  private final String version;

  public CalibratedScorer(RawErrorModel model, AnomalyLikelihood likelihood, String version) {
    this.model = model;
    this.likelihood = likelihood;
    this.version = version;
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public String modelVersion() {
    return version;
  }

  @Override
  public Score update(long eventTimeMillis, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Score.none(Double.NaN);
    }
    RawErrorModel.RawError e = model.observe(eventTimeMillis, value);
    double l = likelihood.update(e.error()) * e.weight();
    return new Score(e.error(), l, e.expected());
  }
}
