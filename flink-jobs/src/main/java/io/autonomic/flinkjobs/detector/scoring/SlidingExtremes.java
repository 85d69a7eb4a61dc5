package io.autonomic.flinkjobs.detector.scoring;

import java.io.Serializable;

/**
 * The minimum and maximum of the last {@code window} values, with monotone deques: an update
 * costs O(1) amortised and the state holds only the values that can still become an extreme
 * (usually a few dozen, {@code window} only for a series that falls or rises monotonically for
 * that long). A {@link SlidingWindow} would do the same with two arrays of {@code window} doubles
 * per series, which a 10000-point range makes 160 KB of Flink state per scorer. Hand-written:
 * neither the JDK nor commons-math has a sliding-window extreme.
 */
final class SlidingExtremes implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int window;
  private final MonotoneDeque highs = new MonotoneDeque();
  private final MonotoneDeque lows = new MonotoneDeque();
  private long added;

  SlidingExtremes(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1: " + window);
    }
    this.window = window;
  }

  void add(double v) {
    long i = added++;
    highs.push(i, v, window);
    lows.push(i, -v, window);
  }

  /** How many of the last {@code window} values have been added (at most {@code window}). */
  int size() {
    return (int) Math.min(added, window);
  }

  double max() {
    return highs.front();
  }

  double min() {
    return -lows.front();
  }

  /** A deque of (index, value) with values strictly decreasing from the front: the front is the maximum. */
  private static final class MonotoneDeque implements Serializable {

    private static final long serialVersionUID = 1L;

    private long[] index = new long[16];
    private double[] value = new double[16];
    private int head;
    private int size;

    void push(long i, double v, int window) {
      int mask = index.length - 1;
      while (size > 0 && value[(head + size - 1) & mask] <= v) {
        size--;
      }
      if (size == index.length) {
        grow();
        mask = index.length - 1;
      }
      int tail = (head + size) & mask;
      index[tail] = i;
      value[tail] = v;
      size++;
      while (index[head] <= i - window) {
        head = (head + 1) & mask;
        size--;
      }
    }

    double front() {
      return size == 0 ? Double.NaN : value[head];
    }

    private void grow() {
      long[] ni = new long[index.length * 2];
      double[] nv = new double[value.length * 2];
      for (int k = 0; k < size; k++) {
        ni[k] = index[(head + k) & (index.length - 1)];
        nv[k] = value[(head + k) & (value.length - 1)];
      }
      index = ni;
      value = nv;
      head = 0;
    }
  }
}
