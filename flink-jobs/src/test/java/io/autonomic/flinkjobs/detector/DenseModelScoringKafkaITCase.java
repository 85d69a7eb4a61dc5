package io.autonomic.flinkjobs.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.detector.model.DenseModelFixtures;
import io.autonomic.flinkjobs.detector.model.ModelFixtures;
import io.autonomic.flinkjobs.detector.model.QuietScorer;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Queue;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dense-autoencoder entity scoring end to end: a real broker and registry, the models topic, a MiniCluster running
 * the detector job with exactly-once sinks, and models trained and stored by the trainer's own classes.
 *
 * <p>The entity is a service whose latency falls while its cpu rises. The injected anomaly is a correlated shift,
 * cpu up (+4) while latency rises (+8), at a phase where each stays inside its own normal range (cpu 40..60,
 * latency 180..220): only their combination is new. The statistical detector is replaced by one that never
 * fires, so every anomaly here comes from the dense autoencoder.
 *
 * <p>There are two shifts, v1 scoring the first and v2, announced in between, the second: a new version starts a
 * fresh error history, so the second shift is not measured against the first one's errors (under one version the
 * first shift's errors widen the spread enough to keep the second below the threshold).
 */
@IntegrationStack
class DenseModelScoringKafkaITCase {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final String ENTITY = "svc";
  private static final long WINDOW_MS = 1_000;
  private static final int WINDOWS = 560;
  private static final int TRAIN_UNTIL = 300;
  /** Shifts last 8 windows, each starting 4 s before the sine's zero crossing (cpu rising, latency falling). */
  private static final int SHIFT = 8;
  private static final int FIRST_SHIFT = 356;
  private static final int SECOND_SHIFT = 476;
  /** The points are produced in two parts, v2 announced in between. */
  private static final int SPLIT = 380;
  /** The trainer's window features without std: a 1 s window's spread is noise no autoencoder reconstructs. */
  private static final List<String> FEATURES = List.of("mean", "min", "max");

  @Test
  void aDenseModelDetectsACorrelatedShiftAndANewerVersionHotSwapsWhileACorruptedOneIsRefused(TestBroker broker,
      TestRegistry registry, @TempDir Path checkpoints, @TempDir Path store) throws Exception {
    DetectorOptions o = DetectorTopics.modelOptions(broker, registry, checkpoints, WINDOW_MS);
    o.threshold = 0.9;
    o.entityScoring = true;
    o.modelEntityEnabled = true;
    List<MetricPoint> clean = DenseModelFixtures.busyOrWaiting(ENTITY, WINDOWS, WINDOW_MS, 100, 11);
    List<MetricPoint> points = DenseModelFixtures.correlatedShift(
        DenseModelFixtures.correlatedShift(clean, WINDOW_MS, FIRST_SHIFT, SHIFT, 4, 8),
        WINDOW_MS, SECOND_SHIFT, SHIFT, 4, 8);
    for (String metric : List.of("cpu", "latency")) {
      DoubleSummaryStatistics normal = ModelFixtures.windows(clean, ENTITY, metric, WINDOW_MS).stream()
          .mapToDouble(w -> w.mean).summaryStatistics();
      assertThat(ModelFixtures.windows(points, ENTITY, metric, WINDOW_MS))
          .as("each series alone stays within its normal range of window means")
          .allSatisfy(w -> assertThat(w.mean).isBetween(normal.getMin(), normal.getMax()));
    }
    ModelUpdate v1 = DenseModelFixtures.store(store,
        DenseModelFixtures.train(clean, ENTITY, WINDOW_MS, TRAIN_UNTIL, FEATURES, 1));
    ModelUpdate v2 = DenseModelFixtures.store(store,
        DenseModelFixtures.train(clean, ENTITY, WINDOW_MS, TRAIN_UNTIL, FEATURES, 2));
    ModelUpdate v3 = ModelFixtures.corrupted(v2, 3);
    assertThat(v1.getModelKey()).isEqualTo(ModelSpec.denseKey(ENTITY));
    assertThat(v2.getVersion()).isEqualTo(2);

    // v1 runs from the start and scores the first shift; then v2 replaces it in mid-stream, the corrupted v3 is
    // refused and a replay of v1 is ignored, and v2 scores the second shift
    DetectorTopics.publish(broker, registry, o.modelsTopic, v1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism,
        DetectorMain.flinkConfiguration(o));
    DetectorJob.Result r = DetectorMain.pipeline(env, o, QuietScorer::new, Clock.systemUTC());
    CloseableIterator<String> statusIterator = r.modelStatus().collectAsync();
    JobClient job = env.executeAsync(DetectorMain.JOB_NAME);
    Queue<String> status = JobOutput.collect(statusIterator, "model-status");
    try {
      await().atMost(TIMEOUT).until(() -> status.stream().anyMatch(s -> s.startsWith("accepted "
          + v1.getModelKey() + " v1")));
      DetectorTopics.produce(broker, registry, o.metricsTopic, before(points, SPLIT));

      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(committed(broker, registry, o))
          .anyMatch(e -> inShift(e, FIRST_SHIFT)));
      List<AnomalyEvent> first = committed(broker, registry, o);
      assertModelDriven(first.stream().filter(e -> inShift(e, FIRST_SHIFT)).findFirst().orElseThrow(), o.threshold);
      assertThat(first).allSatisfy(e -> {
        assertThat(e.getModelVersions()).containsEntry(ModelSpec.DENSE_AUTOENCODER, 1L);
        assertThat(inShift(e, FIRST_SHIFT)).as("event outside the first shift: %s", e).isTrue();
      });

      DetectorTopics.publish(broker, registry, o.modelsTopic, v2);
      DetectorTopics.publish(broker, registry, o.modelsTopic, v3);
      DetectorTopics.publish(broker, registry, o.modelsTopic, v1);
      await().atMost(TIMEOUT).until(() -> status.stream().anyMatch(s -> s.startsWith("stale "
          + v1.getModelKey() + " v1")));
      assertThat(status).anyMatch(s -> s.startsWith("accepted " + v2.getModelKey() + " v2: replaces v1"))
          .anyMatch(s -> s.startsWith("refused " + v3.getModelKey() + " v3") && s.contains("sha256 mismatch"));
      DetectorTopics.produce(broker, registry, o.metricsTopic, from(points, SPLIT));

      // read_committed from the topic: consume reads on to the last stable offset, so each read sees every
      // transaction committed so far
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(committed(broker, registry, o))
          .anyMatch(e -> inShift(e, SECOND_SHIFT)));
      List<AnomalyEvent> all = committed(broker, registry, o);
      assertModelDriven(all.stream().filter(e -> inShift(e, SECOND_SHIFT)).findFirst().orElseThrow(), o.threshold);
      // each shift's events come from the version running then, and none from the clean stretches
      assertThat(all).allSatisfy(e -> {
        assertThat(inShift(e, FIRST_SHIFT) || inShift(e, SECOND_SHIFT)).as("event outside the shifts: %s", e)
            .isTrue();
        assertThat(e.getModelVersions()).as("version of %s", e)
            .containsEntry(ModelSpec.DENSE_AUTOENCODER, inShift(e, FIRST_SHIFT) ? 1L : 2L);
      });
      assertThat(all).extracting(AnomalyEvent::getEventId).doesNotHaveDuplicates();
    } finally {
      job.cancel().get();
      statusIterator.close();
    }
  }

  /** The committed events of the entity, once there is at least one (each read waits at most 20 s). */
  private static List<AnomalyEvent> committed(TestBroker broker, TestRegistry registry, DetectorOptions o) {
    return DetectorTopics.anomalies(broker, registry, o, ENTITY, 1, Duration.ofSeconds(20));
  }

  /**
   * An entity-level event above the threshold with the dense model's evidence: the entity's features, observed
   * against the reconstruction, which pulls the pair back onto the learned relation (lower than observed).
   */
  private static void assertModelDriven(AnomalyEvent shift, double threshold) {
    assertThat(shift.getMetric()).as("an entity-level event").isNull();
    assertThat(shift.getScore()).isGreaterThanOrEqualTo(threshold);
    List<String> modelled = List.of("cpu:mean", "cpu:min", "cpu:max", "latency:mean", "latency:min",
        "latency:max");
    assertThat(shift.getContributions()).isNotEmpty().allSatisfy(c -> {
      assertThat(c.getFeature()).isIn(modelled);
      assertThat(c.getExpected()).isNotNull();
    });
    assertThat(shift.getContributions()).extracting(c -> c.getFeature().split(":")[0])
        .contains("cpu", "latency");
    FeatureContribution top = shift.getContributions().get(0);
    assertThat(top.getObserved()).isGreaterThan(top.getExpected());
  }

  private static List<MetricPoint> before(List<MetricPoint> points, int window) {
    return points.stream().filter(p -> p.getEventTime().toEpochMilli() < windowStart(window)).toList();
  }

  private static List<MetricPoint> from(List<MetricPoint> points, int window) {
    return points.stream().filter(p -> p.getEventTime().toEpochMilli() >= windowStart(window)).toList();
  }

  private static boolean inShift(AnomalyEvent e, int first) {
    long t = e.getWindowStart().toEpochMilli();
    return t >= windowStart(first) && t < windowStart(first + SHIFT);
  }

  private static long windowStart(int window) {
    return TestPoints.T0.toEpochMilli() + window * WINDOW_MS;
  }
}
