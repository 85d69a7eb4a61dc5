package io.autonomic.flinkjobs.detector.scoring;

import java.util.List;

/**
 * Combines calibrated components into one anomaly score: the maximum of their likelihoods, then
 * alert suppression. Only the onset of an anomaly matters to an operator (and to NAB, which counts
 * the first detection in a window and charges each later one outside it), so a point keeps its
 * score only if it exceeds every combined score of the last {@code suppressPoints} points; other
 * points are scaled down by {@code suppressFactor}.
 *
 * <p>A new extreme is not an anomaly when the seasonal component finds the value ordinary for its
 * time of day: a daily peak reaching a little further than any earlier one fits the profile. With
 * {@code extremeGateSpreads} > 0, the {@code extreme} component's likelihood counts only when the
 * {@code seasonal} component's error is at least that many spreads (or the seasonal component is
 * still learning); it is otherwise 0. Both components must be present for the gate to apply.
 */
public final class CombinedScorer implements SeriesScorer {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final String version;
  private final SeriesScorer[] components;
  private final Score[] last;
  private final double[] recentCombined;
  private final double suppressFactor;
  private long seen;
  private final int seasonal;
  private final int extreme;
  private final double gateError;

  public CombinedScorer(
      String name,
      String version,
      List<SeriesScorer> components,
      int suppressPoints,
      double suppressFactor) {
    this(name, version, components, suppressPoints, suppressFactor, 0.0);
  }

  public CombinedScorer(
      String name,
      String version,
      List<SeriesScorer> components,
      int suppressPoints,
      double suppressFactor,
      double extremeGateSpreads) {
    this.name = name;
    this.version = version;
    this.components = components.toArray(new SeriesScorer[0]);
    this.last = new Score[this.components.length];
    this.recentCombined = new double[Math.max(1, suppressPoints)];
    this.suppressFactor = suppressFactor;
    int s = -1;
    int e = -1;
    for (int i = 0; i < this.components.length; i++) {
      if (this.components[i].name().equals("seasonal")) s = i;
      if (this.components[i].name().equals("extreme")) e = i;
    }
    boolean gated = extremeGateSpreads > 0 && s >= 0 && e >= 0;
    this.seasonal = gated ? s : -1;
    this.extreme = gated ? e : -1;
    // Seasonal raw errors are compressed spreads (RobustScale.compress).
    this.gateError = RobustScale.compress(extremeGateSpreads);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String modelVersion() {
    return version;
  }

  @Override
  public Score update(long eventTimeMillis, double value) {
    double best = 0.0;
    int winner = -1;
    for (int i = 0; i < components.length; i++) {
      last[i] = components[i].update(eventTimeMillis, value);
    }
    for (int i = 0; i < components.length; i++) {
      double l = last[i].likelihood();
      if (i == extreme && last[seasonal].raw() < gateError) {
        l = 0.0; // NaN (seasonal still learning) compares false: the extreme counts
      }
      if (l > best || winner < 0) {
        best = l;
        winner = i;
      }
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Score.none(Double.NaN);
    }
    double recentMax = 0.0;
    for (double v : recentCombined) {
      recentMax = Math.max(recentMax, v);
    }
    recentCombined[(int) (seen++ % recentCombined.length)] = best;
    double out = best > recentMax ? best : best * suppressFactor;
    Score w = last[winner];
    return new Score(w.raw(), out, w.expected());
  }

  /** The components' scores for the last point, in component order (for explanations). */
  public Score[] lastComponentScores() {
    return last.clone();
  }

  /** The components' names, in component order. */
  public String[] componentNames() {
    String[] names = new String[components.length];
    for (int i = 0; i < components.length; i++) {
      names[i] = components[i].name();
    }
    return names;
  }
}
