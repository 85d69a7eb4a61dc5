package io.autonomic.flinkjobs.detector.model;

import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.TestPoints;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import io.autonomic.flinkjobs.model.ModelStore;
import io.autonomic.flinkjobs.model.ModelTrainer;
import io.autonomic.flinkjobs.model.TrainedModel;
import io.autonomic.flinkjobs.model.WindowHistory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Dense autoencoders for tests, trained and stored by the real trainer classes (WindowHistory's entity rows,
 * ModelTrainer, ModelStore), so the detector is tested against what the trainer publishes; and a correlated shift
 * to inject into a clean multi-metric entity.
 */
public final class DenseModelFixtures {
  private DenseModelFixtures() {}

  /**
   * A service whose latency falls while its cpu rises (busy serving, not waiting on a downstream): every
   * {@code stepMs} a cpu point {@code 50 + 10 sin} and a latency point {@code 200 - 20 sin} (period 60 s) with
   * noise (sd 1 and 2), over {@code windows} windows of {@code windowMs} from T0, in event-time order.
   */
  public static List<MetricPoint> busyOrWaiting(String entity, int windows, long windowMs, long stepMs,
      long seed) {
    java.util.Random random = new java.util.Random(seed);
    List<MetricPoint> points = new ArrayList<>();
    long t0 = TestPoints.T0.toEpochMilli();
    for (long t = 0; t < windows * windowMs; t += stepMs) {
      double phase = Math.sin(2 * Math.PI * (t / 1000.0) / 60);
      points.add(TestPoints.point(entity, "cpu", t0 + t, 50 + 10 * phase + random.nextGaussian()));
      points.add(TestPoints.point(entity, "latency", t0 + t, 200 - 20 * phase + 2 * random.nextGaussian()));
    }
    return points;
  }

  /** Trains the next version of {@code entity}'s dense model on its windows before {@code untilWindow}. */
  public static TrainedModel train(List<MetricPoint> clean, String entity, long windowMs, int untilWindow,
      List<String> features, long seed) {
    Nd4jRuntime.init(); // one ND4J thread: the default pools are far slower on 2 busy cores
    WindowHistory history = new WindowHistory(100_000);
    long until = TestPoints.T0.toEpochMilli() + untilWindow * windowMs;
    TreeSet<String> metrics = new TreeSet<>();
    clean.forEach(p -> metrics.add(p.getMetric()));
    for (String metric : metrics) {
      for (SeriesFeatures w : ModelFixtures.windows(clean, entity, metric, windowMs)) {
        if (w.windowEnd <= until) {
          history.add(w);
        }
      }
    }
    ModelTrainer.Settings s = ModelTrainer.Settings.defaults();
    ModelTrainer trainer = new ModelTrainer(new ModelTrainer.Settings(s.sequenceLength(), s.units(), 40,
        32, s.learningRate(), 8, s.holdout(), s.maxWindows(), seed));
    return trainer.train(history.entitySet(entity, history.entityFeatures(entity, features)));
  }

  /** Stores the model as the next version under {@code store} and returns its announcement. */
  public static ModelUpdate store(Path store, TrainedModel model) {
    return new ModelStore(store, 10).save(model, Instant.now()).update();
  }

  /**
   * Adds {@code cpuDelta} to cpu and {@code latencyDelta} to latency in windows {@code [from, from + count)}
   * (window numbers from T0): cpu goes up while latency rises.
   */
  public static List<MetricPoint> correlatedShift(List<MetricPoint> points, long windowMs, int from, int count,
      double cpuDelta, double latencyDelta) {
    long start = TestPoints.T0.toEpochMilli() + from * windowMs;
    long end = start + count * windowMs;
    List<MetricPoint> out = new ArrayList<>(points.size());
    for (MetricPoint p : points) {
      long t = p.getEventTime().toEpochMilli();
      double delta = t < start || t >= end ? 0
          : p.getMetric().equals("cpu") ? cpuDelta : p.getMetric().equals("latency") ? latencyDelta : 0;
      out.add(delta == 0 ? p : TestPoints.point(p.getEntityId(), p.getMetric(), t, p.getValue() + delta));
    }
    return out;
  }
}
