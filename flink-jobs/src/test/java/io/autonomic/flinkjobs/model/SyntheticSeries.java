package io.autonomic.flinkjobs.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seasonal window feature rows (mean, std, min, max) for model tests and benchmarks, with injectable faults. */
public final class SyntheticSeries {
  public static final List<String> FEATURES = List.of("mean", "std", "min", "max");
  public static final int PERIOD = 24;

  private SyntheticSeries() {}

  /** {@code count} windows of a daily-seasonal metric (period 24 windows) around 50, with mild noise. */
  public static List<double[]> seasonal(int count, long seed) {
    Random r = new Random(seed);
    List<double[]> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(row(i, r, 0));
    }
    return rows;
  }

  /** One window's features at index {@code i}, shifted by {@code offset}. */
  public static double[] row(int i, Random r, double offset) {
    double mean = 50 + 20 * Math.sin(2 * Math.PI * i / PERIOD) + offset + r.nextGaussian() * 0.5;
    double std = 2 + r.nextGaussian() * 0.1;
    return new double[] {mean, std, mean - 2 * std, mean + 2 * std};
  }

  /** Continues the series from index {@code start} for {@code count} windows, adding {@code offset} from {@code at}. */
  public static List<double[]> continued(int start, int count, long seed, int at, double offset) {
    Random r = new Random(seed);
    List<double[]> rows = new ArrayList<>(count);
    for (int i = start; i < start + count; i++) {
      rows.add(row(i, r, i >= start + at ? offset : 0));
    }
    return rows;
  }
}
