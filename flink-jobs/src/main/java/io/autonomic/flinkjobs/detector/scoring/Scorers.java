package io.autonomic.flinkjobs.detector.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the statistical detector: one fresh scorer per series. {@code combined} uses the
 * {@link #COMBINED_COMPONENTS}; a component name ({@code level}, {@code dynamics}, {@code seasonal}, {@code shift},
 * {@code extreme}) runs that component alone, with the same calibration and suppression, for
 * ablation. Parameters are fixed for all series: nothing is tuned per series.
 */
public final class Scorers {

  /**
   * Version of the statistical detector's configuration, a number because
   * AnomalyEvent.modelVersions maps model name to a long. Bump it when a parameter changes.
   */
  public static final String VERSION = "6";

  public static final String COMBINED = "combined";

  /** The components, in the order the combined detector uses them. */
  public static final List<String> COMPONENTS =
      List.of("level", "dynamics", "seasonal", "shift", "extreme");

  /**
   * The components the combined detector uses: the ablation on NAB (docs/quality.md) showed
   * that adding level, dynamics and shift to these two lowers the combined score (each adds
   * false alarms through the max), so they stay available alone but are not combined.
   */
  public static final List<String> COMBINED_COMPONENTS = List.of("seasonal", "extreme");

  static final int WINDOW = 1000;
  /** Points whose range a new extreme must leave (HTM's spatial anomaly uses the whole past). */
  static final int EXTREME_WINDOW = 10_000;
  static final int SLOTS_PER_DAY = 48;
  static final double SLOT_ALPHA = 0.1;
  /** The seasonal residual's spread is at least this many mean absolute slot deviations. */
  static final double SLOT_SCALE_FACTOR = 2.5;
  /**
   * Values each time-of-day slot remembers to recognise a recurring level (docs/quality.md), kept
   * as floats: 48 slots x 288 values x 4 bytes, about 55 KB per series (more values score the
   * same on NAB: 288 is where the gain stops).
   */
  static final int SLOT_MEMORY = 288;
  /**
   * A new extreme counts only if the seasonal error is at least this many spreads (docs/quality.md).
   */
  static final double EXTREME_GATE_SPREADS = 1.5;
  static final double EXTREME_TOLERANCE = 0.01;
  static final int WARMUP = 30;
  static final int AVERAGING = 1;
  static final int LEARNING = 100;
  static final int HISTORY = 2000;
  static final int REESTIMATE = 50;
  static final double MIN_STD = 0.1;
  static final int SUPPRESS_POINTS = 100;
  static final double SUPPRESS_FACTOR = 0.0;

  private Scorers() {}

  /** The default detector, {@code combined}, for a new series. */
  public static SeriesScorer defaultScorer() {
    return create(COMBINED);
  }

  /** The names accepted by {@link #create}. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    names.add(COMBINED);
    names.addAll(COMPONENTS);
    return names;
  }

  /** A fresh scorer for one series; throws IllegalArgumentException naming the valid names. */
  public static SeriesScorer create(String detector) {
    String d = detector.toLowerCase(Locale.ROOT);
    if (d.equals(io.autonomic.flinkjobs.model.LstmSeriesScorer.NAME)) return new CombinedScorer(d, io.autonomic.flinkjobs.model.LstmSeriesScorer.VERSION, List.of(io.autonomic.flinkjobs.model.LstmSeriesScorer.create()), SUPPRESS_POINTS, SUPPRESS_FACTOR);
    List<SeriesScorer> parts = new ArrayList<>();
    if (d.equals(COMBINED)) {
      for (String c : COMBINED_COMPONENTS) {
        parts.add(component(c));
      }
    } else if (COMPONENTS.contains(d)) {
      parts.add(component(d));
    } else {
      throw new IllegalArgumentException(
          "unknown detector '" + detector + "'; valid: " + String.join(", ", names()));
    }
    return new CombinedScorer(
        d, VERSION, parts, SUPPRESS_POINTS, SUPPRESS_FACTOR, EXTREME_GATE_SPREADS);
  }

  static SeriesScorer component(String name) {
    RawErrorModel model =
        switch (name) {
          case "level" -> new LevelModel(WINDOW, WARMUP);
          case "dynamics" -> new DynamicsModel(WINDOW, WARMUP);
          case "seasonal" ->
              new SeasonalModel(
                  SLOTS_PER_DAY, SLOT_ALPHA, WINDOW, WARMUP, SLOT_SCALE_FACTOR, SLOT_MEMORY);
          case "shift" -> new ShiftModel(12, WINDOW, WARMUP);
          case "extreme" -> new ExtremeModel(EXTREME_WINDOW, WARMUP * 3, EXTREME_TOLERANCE);
          default -> throw new IllegalArgumentException("unknown component '" + name + "'");
        };
    return new CalibratedScorer(
        model, new AnomalyLikelihood(AVERAGING, LEARNING, HISTORY, REESTIMATE, MIN_STD), VERSION);
  }
}
