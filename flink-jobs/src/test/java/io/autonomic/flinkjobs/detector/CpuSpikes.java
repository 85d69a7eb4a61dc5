package io.autonomic.flinkjobs.detector;

import io.autonomic.avro.MetricPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Cpu spikes in chosen windows of a {@link Scenarios} series (windows of {@code WINDOW_MS} from {@code T0}). */
final class CpuSpikes {
  private CpuSpikes() {}

  /** {@code clean} with {@code entity}'s cpu raised by {@code added.get(window)} in each of those windows. */
  static List<MetricPoint> add(List<MetricPoint> clean, String entity, Map<Integer, Double> added) {
    List<MetricPoint> out = new ArrayList<>(clean.size());
    for (MetricPoint p : clean) {
      long t = p.getEventTime().toEpochMilli();
      int window = (int) Math.floorDiv(t - TestPoints.T0.toEpochMilli(), Scenarios.WINDOW_MS);
      Double plus = p.getMetric().equals("cpu") && p.getEntityId().equals(entity) ? added.get(window) : null;
      out.add(plus == null ? p : TestPoints.point(entity, "cpu", t, p.getValue() + plus));
    }
    out.sort(Comparator.comparing(MetricPoint::getEventTime));
    return out;
  }

  static long windowStart(int window) {
    return TestPoints.T0.toEpochMilli() + window * Scenarios.WINDOW_MS;
  }

  /** The points before {@code window}. */
  static List<MetricPoint> before(List<MetricPoint> points, int window) {
    return points.stream().filter(p -> p.getEventTime().toEpochMilli() < windowStart(window)).toList();
  }

  /** The points from {@code window} on. */
  static List<MetricPoint> from(List<MetricPoint> points, int window) {
    return points.stream().filter(p -> p.getEventTime().toEpochMilli() >= windowStart(window)).toList();
  }
}
