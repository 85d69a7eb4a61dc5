package io.autonomic.flinkjobs.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.Scenarios.Kind;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.detector.model.ModelFixtures;
import io.autonomic.flinkjobs.detector.model.QuietScorer;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DL4J model scoring end to end: a real broker and registry, the models topic, a MiniCluster running the detector
 * job with exactly-once sinks. The statistical detector is replaced by one that never fires, so every anomaly here
 * comes from the LSTM autoencoder.
 */
@IntegrationStack
class ModelScoringKafkaITCase {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final int N = 16;
  private static final String ENTITY = "svc";
  private static final int FIRST_SPIKE = 300;
  private static final int SECOND_SPIKE = 520;
  private static final int SPLIT = 400;

  @Test
  void aModelDetectsAnInjectedSpikeAndANewerVersionHotSwapsWhileACorruptedOneIsRefused(TestBroker broker,
      TestRegistry registry, @TempDir Path checkpoints, @TempDir Path store) throws Exception {
    DetectorOptions o = DetectorTopics.modelOptions(broker, registry, checkpoints, Scenarios.WINDOW_MS);
    o.threshold = 0.99;
    o.entityScoring = false;
    o.modelSequenceLength = N;
    List<MetricPoint> clean = Scenarios.entity(ENTITY, Kind.CLEAN, 11);
    // the second spike is larger: v2 starts a fresh error history, and its spread after 20 windows of learning is
    // less settled
    List<MetricPoint> points = CpuSpikes.add(clean, ENTITY, Map.of(FIRST_SPIKE, 40.0, SECOND_SPIKE, 80.0));
    List<io.autonomic.flinkjobs.detector.features.SeriesFeatures> training =
        ModelFixtures.windows(clean, ENTITY, "cpu", Scenarios.WINDOW_MS).subList(0, 250);
    ModelUpdate v1 = ModelFixtures.train(store, ENTITY, "cpu", training, N, 1, 40, 1);
    ModelUpdate v2 = ModelFixtures.train(store, ENTITY, "cpu", training, N, 2, 60, 2);
    ModelUpdate v3 = ModelFixtures.corrupted(v2, 3);

    DetectorTopics.publish(broker, registry, o.modelsTopic, v1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism,
        DetectorMain.flinkConfiguration(o));
    DetectorJob.Result r = DetectorMain.pipeline(env, o, QuietScorer::new, Clock.systemUTC());
    CloseableIterator<String> statusIterator = r.modelStatus().collectAsync();
    // the events as the job emits them (checkpointed, so exactly once), next to the Kafka topic: see the second phase
    CloseableIterator<AnomalyEvent> emittedIterator = r.anomalies().collectAsync();
    JobClient job = env.executeAsync(DetectorMain.JOB_NAME);
    Queue<String> status = JobOutput.collect(statusIterator, "model-status");
    Queue<AnomalyEvent> emitted = JobOutput.collect(emittedIterator, "anomalies");
    try {
      await().atMost(TIMEOUT).until(() -> status.stream().anyMatch(s -> s.startsWith("accepted " + v1.getModelKey()
          + " v1")));
      DetectorTopics.produce(broker, registry, o.metricsTopic, CpuSpikes.before(points, SPLIT));

      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(DetectorTopics.anomalies(broker, registry, o, ENTITY, 1, TIMEOUT))
          .anyMatch(e -> e.getWindowStart().toEpochMilli() == CpuSpikes.windowStart(FIRST_SPIKE)));
      List<AnomalyEvent> first = DetectorTopics.anomalies(broker, registry, o, ENTITY, 1, TIMEOUT);
      AnomalyEvent spike = first.stream().filter(e -> e.getWindowStart().toEpochMilli() == CpuSpikes.windowStart(FIRST_SPIKE))
          .findFirst().orElseThrow(() -> new AssertionError("no event for the first spike: " + first));
      assertThat(spike.getMetric()).isEqualTo("cpu");
      assertThat(spike.getModelVersions()).containsEntry(ModelSpec.LSTM_AUTOENCODER, 1L);
      assertThat(spike.getScore()).isGreaterThanOrEqualTo(o.threshold);
      // model-driven: the features the model reconstructs, observed against the reconstruction
      assertThat(spike.getContributions()).extracting(FeatureContribution::getFeature)
          .containsAnyElementsOf(ModelFixtures.FEATURES.stream().map(f -> "cpu:" + f).toList());
      assertThat(spike.getContributions()).allSatisfy(c -> assertThat(c.getExpected()).isNotNull());
      assertThat(spike.getContributions().get(0).getObserved())
          .isNotEqualTo(spike.getContributions().get(0).getExpected());
      // no false alarm on the clean stretch before the spike
      assertThat(first).allSatisfy(e -> assertThat(e.getWindowStart().toEpochMilli())
          .isGreaterThanOrEqualTo(CpuSpikes.windowStart(FIRST_SPIKE)));

      DetectorTopics.publish(broker, registry, o.modelsTopic, v2);
      DetectorTopics.publish(broker, registry, o.modelsTopic, v3);
      DetectorTopics.publish(broker, registry, o.modelsTopic, v1); // a replay of an older version changes nothing
      await().atMost(TIMEOUT).until(() -> status.stream().anyMatch(s -> s.startsWith("stale " + v1.getModelKey()
          + " v1")));
      assertThat(status).anyMatch(s -> s.startsWith("accepted " + v2.getModelKey() + " v2"))
          .anyMatch(s -> s.startsWith("refused " + v3.getModelKey() + " v3") && s.contains("sha256 mismatch"));

      DetectorTopics.produce(broker, registry, o.metricsTopic, CpuSpikes.from(points, SPLIT));
      // Read from the job's output: the topic path is asserted in the first phase (and exactly-once across a
      // restart in DetectorKafkaITCase); here what matters is which model version scored each window.
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(svc(emitted))
          .anyMatch(e -> e.getWindowStart().toEpochMilli() == CpuSpikes.windowStart(SECOND_SPIKE)));
      List<AnomalyEvent> all = svc(emitted);
      AnomalyEvent second = all.stream()
          .filter(e -> e.getWindowStart().toEpochMilli() == CpuSpikes.windowStart(SECOND_SPIKE)).findFirst().orElseThrow();
      assertThat(second.getModelVersions()).containsEntry(ModelSpec.LSTM_AUTOENCODER, 2L);
      assertThat(all).filteredOn(e -> e.getWindowStart().toEpochMilli() >= CpuSpikes.windowStart(SPLIT))
          .allSatisfy(e -> assertThat(e.getModelVersions()).containsEntry(ModelSpec.LSTM_AUTOENCODER, 2L));
      assertThat(all).extracting(AnomalyEvent::getEventId).doesNotHaveDuplicates();
    } finally {
      job.cancel().get();
      statusIterator.close();
      emittedIterator.close();
    }
  }

  private static List<AnomalyEvent> svc(Queue<AnomalyEvent> emitted) {
    return emitted.stream().filter(e -> ENTITY.equals(e.getEntityId())).toList();
  }

}
