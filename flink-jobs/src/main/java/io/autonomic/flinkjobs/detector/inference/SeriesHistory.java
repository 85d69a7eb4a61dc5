package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;

/**
 * The last windows of one series, oldest first: a ring of feature vectors (all of {@link SeriesFeatures#NAMES}, so
 * a model with other features or a longer sequence can use them after a swap). Keyed state, a Flink POJO.
 *
 * <p>Windows are taken as they come: a window with no points emits nothing, so the sequence skips it rather than
 * inventing a value (the trainer builds its sequences the same way from the same windows).
 */
public class SeriesHistory {
  public static final int WIDTH = SeriesFeatures.NAMES.length;

  /** Ring buffer of {@code capacity} vectors of {@link #WIDTH} values. */
  public double[] values = new double[0];
  public int capacity;
  public int head;
  public int size;

  public SeriesHistory() {}

  public SeriesHistory(int capacity) {
    this.capacity = capacity;
    this.values = new double[capacity * WIDTH];
  }

  /** Appends one window's values ({@link SeriesFeatures#values()}), dropping the oldest when full. */
  public void add(double[] window) {
    System.arraycopy(window, 0, values, head * WIDTH, WIDTH);
    head = (head + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  /** Keeps at least {@code n} windows from now on (a model with a longer sequence arrived), keeping the history. */
  public void ensureCapacity(int n) {
    if (n <= capacity) {
      return;
    }
    double[] grown = new double[n * WIDTH];
    for (int i = 0; i < size; i++) {
      System.arraycopy(values, slot(i) * WIDTH, grown, i * WIDTH, WIDTH);
    }
    values = grown;
    head = size % n;
    capacity = n;
  }

  /** Value {@code feature} (index into NAMES) of the {@code i}-th oldest window kept. */
  public double get(int i, int feature) {
    return values[slot(i) * WIDTH + feature];
  }

  private int slot(int i) {
    return Math.floorMod(head - size + i, capacity);
  }

  /**
   * The model's input for the newest {@code spec.sequenceLength} windows, scaled, in the NCW layout of one example:
   * {@code out[offset + f * N + t]} is feature f at step t (t = N - 1 is the newest window). False (nothing
   * written) while fewer windows are kept.
   */
  public boolean sequence(ModelSpec spec, float[] out, int offset) {
    int n = spec.sequenceLength;
    if (size < n) {
      return false;
    }
    int first = size - n;
    for (int f = 0; f < spec.featureIndex.length; f++) {
      int feature = spec.featureIndex[f];
      int base = offset + f * n;
      for (int t = 0; t < n; t++) {
        out[base + t] = spec.scale(f, get(first + t, feature));
      }
    }
    return true;
  }
}
