package io.autonomic.demo.fleet;

import io.autonomic.avro.MetricPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** Test helper: ticks a fleet and averages what it reports. */
public final class FleetProbe {
  public static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
  public static final Duration STEP = Duration.ofSeconds(10);
  private final ShopFleet fleet;
  private Instant now = T0;

  public FleetProbe(ShopFleet fleet) {
    this.fleet = fleet;
  }

  public FleetSample tick(double load) {
    FleetSample s = fleet.tick(now, STEP, load);
    now = now.plus(STEP);
    return s;
  }

  /** Ticks {@code n} times at {@code load}, returning the mean of {@code metric} over matching replicas and ticks. */
  public double mean(int n, double load, String metric, Predicate<String> entity) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < n; i++) {
      for (MetricPoint p : tick(load).metrics()) {
        if (p.getMetric().equals(metric) && entity.test(p.getEntityId())) {
          sum += p.getValue();
          count++;
        }
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  public static Predicate<String> service(String service) {
    return e -> service.equals(ShopFleet.serviceOf(e));
  }

  public static Predicate<String> replica(String replica) {
    return e -> e.equals(ShopFleet.entityId(replica));
  }

  public static List<String> entities(FleetSample s) {
    return s.metrics().stream().map(MetricPoint::getEntityId).distinct().toList();
  }
}
