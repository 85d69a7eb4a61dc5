package io.autonomic.flinkjobs.detector.scoring;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The last {@code capacity} values of a series, kept both in arrival order and sorted, so that
 * quantiles cost O(1) and an update O(capacity) (a binary search and one array move, no
 * allocation). Hand-written because t-digest merges away the exact window eviction this needs.
 */
final class SlidingWindow implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double[] ring;
  private final double[] sorted;
  private int size;
  private int head;
  private double sum;

  SlidingWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    }
    this.ring = new double[capacity];
    this.sorted = new double[capacity];
  }

  void add(double v) {
    if (size == ring.length) {
      double old = ring[head];
      int idx = Arrays.binarySearch(sorted, 0, size, old);
      System.arraycopy(sorted, idx + 1, sorted, idx, size - idx - 1);
      size--;
      sum -= old;
    }
    ring[head] = v;
    head = (head + 1) % ring.length;
    int pos = Arrays.binarySearch(sorted, 0, size, v);
    if (pos < 0) {
      pos = -pos - 1;
    }
    System.arraycopy(sorted, pos, sorted, pos + 1, size - pos);
    sorted[pos] = v;
    size++;
    sum += v;
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size == ring.length;
  }

  double mean() {
    return size == 0 ? Double.NaN : sum / size;
  }

  /** Linear-interpolated quantile, q in [0, 1]. */
  double quantile(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    double pos = q * (size - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, size - 1);
    double frac = pos - lo;
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
  }

  double median() {
    return quantile(0.5);
  }

  /** The i-th most recent value (0 = newest). */
  double recent(int i) {
    int idx = Math.floorMod(head - 1 - i, ring.length);
    return ring[idx];
  }

  double min() {
    return sorted[0];
  }

  double max() {
    return sorted[size - 1];
  }
}
