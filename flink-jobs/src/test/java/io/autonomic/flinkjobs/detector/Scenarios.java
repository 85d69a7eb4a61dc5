package io.autonomic.flinkjobs.detector;

import io.autonomic.avro.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic seasonal telemetry with injected anomalies: every entity has a {@code cpu} and a {@code latency}
 * series, a sine with noise sampled every {@link #STEP_MS}; anomalies start at window {@link #ONSET}.
 */
public final class Scenarios {
  public static final long STEP_MS = 100;
  public static final long WINDOW_MS = 1_000;
  public static final int WINDOWS = 600;
  public static final int ONSET = 450;
  public static final long ONSET_MS = TestPoints.T0.toEpochMilli() + ONSET * WINDOW_MS;

  public enum Kind { CLEAN, SPIKE, LEVEL_SHIFT, FREQUENCY_CHANGE, CORRELATED_DRIFT }

  private Scenarios() {}

  /** The points of one entity, in event-time order. */
  public static List<MetricPoint> entity(String entity, Kind kind, long seed) {
    Random random = new Random(seed);
    List<MetricPoint> points = new ArrayList<>();
    long t0 = TestPoints.T0.toEpochMilli();
    for (long t = 0; t < WINDOWS * WINDOW_MS; t += STEP_MS) {
      double seconds = t / 1000.0;
      boolean after = t >= ONSET * WINDOW_MS;
      double period = kind == Kind.FREQUENCY_CHANGE && after ? 4 : 60;
      double cpu = 50 + 10 * Math.sin(2 * Math.PI * seconds / period) + random.nextGaussian();
      double latency = 200 + 20 * Math.sin(2 * Math.PI * seconds / 60 + 1) + 2 * random.nextGaussian();
      switch (kind) {
        case SPIKE -> cpu += after && t < (ONSET + 1) * WINDOW_MS ? 40 : 0;
        case LEVEL_SHIFT -> latency += after ? 60 : 0;
        case CORRELATED_DRIFT -> {
          double windowsIn = after ? (t - ONSET * WINDOW_MS) / (double) WINDOW_MS : 0;
          cpu += 1.0 * windowsIn;
          latency += 2.0 * windowsIn;
        }
        default -> { }
      }
      points.add(TestPoints.point(entity, "cpu", t0 + t, cpu));
      points.add(TestPoints.point(entity, "latency", t0 + t, latency));
    }
    return points;
  }
}
