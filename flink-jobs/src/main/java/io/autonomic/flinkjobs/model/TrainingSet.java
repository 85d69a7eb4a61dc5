package io.autonomic.flinkjobs.model;

import java.util.List;

/**
 * What one model is trained on: its key, kind and feature names, and the raw feature rows of consecutive windows in
 * time order ({@code rows.get(i)[j]} is feature {@code j} of window {@code i}; NaN for a missing value).
 *
 * @param from event time of the first window's start
 * @param to event time of the last window's end
 */
public record TrainingSet(ModelKind kind, String modelKey, List<String> features, List<double[]> rows, long from,
    long to) {

  public TrainingSet {
    features = List.copyOf(features);
    rows = List.copyOf(rows);
  }

  public int windows() {
    return rows.size();
  }
}
