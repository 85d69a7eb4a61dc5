package io.autonomic.flinkjobs.detector.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The combined score of one window of a series or an entity, with its evidence: a Flink POJO. */
public class WindowScore {
  /** Combined score in [0,1]. */
  public double score;
  /** False while the scorers are still warming up; such windows are never reported. */
  public boolean warmedUp;
  /** Feature scores, highest likelihood first. */
  public List<FeatureScore> features = new ArrayList<>();
  /** Name of the detector(s) that produced the score. */
  public String detector;
  /** Model versions used, by model key. */
  public Map<String, Long> modelVersions = new TreeMap<>();

  public WindowScore() {}

  @Override
  public String toString() {
    return "WindowScore{" + detector + " score=" + score + " warmedUp=" + warmedUp + " " + features + "}";
  }
}
