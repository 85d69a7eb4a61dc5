package io.autonomic.flinkjobs.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Per-feature standardisation of the model contract: {@code z = clamp((x - mean) / std, -10, 10)}, with std
 * floored at {@link #MIN_STD}. A missing value (NaN, e.g. a series absent from an entity's window) scales to 0; an
 * infinite one clamps to ±10 like any other extreme. The statistics travel in the calibration map as
 * {@code scale.mean.<feature>} and {@code scale.std.<feature>}. The one implementation of the rule: the trainer
 * scales with an instance, the detector's {@code ModelSpec} (arrays in broadcast state) with {@link #z}.
 */
public final class Scaling implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final double MIN_STD = 1e-9;
  public static final double CLAMP = 10;
  public static final String MEAN_PREFIX = "scale.mean.";
  public static final String STD_PREFIX = "scale.std.";

  private final String[] features;
  private final double[] mean;
  private final double[] std;

  public Scaling(String[] features, double[] mean, double[] std) {
    this.features = features.clone();
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** Mean and (population) standard deviation of each column over the rows, NaN cells skipped. */
  public static Scaling fit(String[] features, List<double[]> rows) {
    int f = features.length;
    double[] mean = new double[f];
    double[] std = new double[f];
    for (int j = 0; j < f; j++) {
      long n = 0;
      double m = 0;
      double m2 = 0;
      for (double[] row : rows) {
        double x = row[j];
        if (Double.isNaN(x) || Double.isInfinite(x)) {
          continue;
        }
        n++;
        double d = x - m;
        m += d / n;
        m2 += d * (x - m);
      }
      mean[j] = m;
      std[j] = Math.max(n > 1 ? Math.sqrt(m2 / n) : 0, MIN_STD);
    }
    return new Scaling(features, mean, std);
  }

  /** Reads the statistics of {@code features} from a calibration map; throws naming a missing key. */
  public static Scaling fromCalibration(List<String> features, Map<String, Double> calibration) {
    double[] mean = new double[features.size()];
    double[] std = new double[features.size()];
    for (int j = 0; j < mean.length; j++) {
      mean[j] = required(calibration, MEAN_PREFIX + features.get(j));
      std[j] = Math.max(required(calibration, STD_PREFIX + features.get(j)), MIN_STD);
    }
    return new Scaling(features.toArray(String[]::new), mean, std);
  }

  private static double required(Map<String, Double> calibration, String key) {
    Double v = calibration.get(key);
    if (v == null) {
      throw new IllegalArgumentException("calibration lacks " + key);
    }
    return v;
  }

  /** Writes the statistics into a calibration map. */
  public void putInto(Map<String, Double> calibration) {
    for (int j = 0; j < features.length; j++) {
      calibration.put(MEAN_PREFIX + features[j], mean[j]);
      calibration.put(STD_PREFIX + features[j], std[j]);
    }
  }

  /** The scaled value of feature {@code j}. */
  public float scale(int j, double x) {
    return z(x, mean[j], std[j]);
  }

  /** The contract's scaling of one value: {@code clamp((x - mean) / std, -10, 10)}, NaN (missing) → 0. */
  public static float z(double x, double mean, double std) {
    double z = (x - mean) / std;
    if (Double.isNaN(z)) {
      return 0f;
    }
    return (float) Math.max(-CLAMP, Math.min(CLAMP, z));
  }

  public String[] features() {
    return features.clone();
  }

  public int size() {
    return features.length;
  }

  public double mean(int j) {
    return mean[j];
  }

  public double std(int j) {
    return std[j];
  }
}
