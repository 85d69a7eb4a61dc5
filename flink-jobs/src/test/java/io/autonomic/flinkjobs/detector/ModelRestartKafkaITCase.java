package io.autonomic.flinkjobs.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.Scenarios.Kind;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
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
import java.util.Optional;
import java.util.Queue;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model half of the detector's state survives a restart from a checkpoint: the accepted model (broadcast
 * state), each series' last windows (the model's input) and its error history (the likelihood). The restarted job
 * does not read the models topic again (its source resumes after v1), and a spike five windows after the restart
 * can only be scored by the model if all three came back: without the history there is no sequence yet, and
 * without the error history the likelihood is still learning (0). The statistical detector never fires here.
 */
@IntegrationStack
class ModelRestartKafkaITCase {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final int N = 16;
  private static final String ENTITY = "svc";
  private static final int FIRST_SPIKE = 300;
  private static final int SPLIT = 400;
  private static final int SECOND_SPIKE = 405;

  @Test
  void theModelItsInputsAndItsErrorHistorySurviveARestartFromACheckpoint(TestBroker broker, TestRegistry registry,
      @TempDir Path checkpoints, @TempDir Path store) throws Exception {
    DetectorOptions o = DetectorTopics.modelOptions(broker, registry, checkpoints, Scenarios.WINDOW_MS);
    o.threshold = 0.99;
    o.entityScoring = false;
    o.modelSequenceLength = N;
    List<MetricPoint> clean = Scenarios.entity(ENTITY, Kind.CLEAN, 11);
    List<MetricPoint> points = CpuSpikes.add(clean, ENTITY, Map.of(FIRST_SPIKE, 40.0, SECOND_SPIKE, 80.0));
    List<SeriesFeatures> training = ModelFixtures.windows(clean, ENTITY, "cpu", Scenarios.WINDOW_MS).subList(0, 250);
    ModelUpdate v1 = ModelFixtures.train(store, ENTITY, "cpu", training, N, 1, 40, 1);
    DetectorTopics.publish(broker, registry, o.modelsTopic, v1);

    Running first = start(o, new Configuration());
    try {
      await().atMost(TIMEOUT).until(() -> first.status.stream()
          .anyMatch(s -> s.startsWith("accepted " + v1.getModelKey() + " v1")));
      DetectorTopics.produce(broker, registry, o.metricsTopic, CpuSpikes.before(points, SPLIT));
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(DetectorTopics.anomalies(broker, registry, o, ENTITY, 1, TIMEOUT))
          .anyMatch(e -> e.getWindowStart().toEpochMilli() == CpuSpikes.windowStart(FIRST_SPIKE)));
    } finally {
      first.stop();
    }
    Optional<Path> checkpoint = DetectorMain.latestCheckpoint(checkpoints);
    assertThat(checkpoint).as("a retained checkpoint").isPresent();

    DetectorTopics.produce(broker, registry, o.metricsTopic, CpuSpikes.from(points, SPLIT));
    Configuration resume = DetectorMain.resumingFrom(o, checkpoint.get());
    // the test's collect sink (model status lines) gets a new operator id in every job graph: its state only is
    // left behind; every operator of the detector has a fixed uid, and the assertions below need their state
    resume.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
    Running second = start(o, resume);
    try {
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(DetectorTopics.anomalies(broker, registry, o, ENTITY, 1, TIMEOUT))
          .anyMatch(e -> e.getWindowStart().toEpochMilli() == CpuSpikes.windowStart(SECOND_SPIKE)));
      List<AnomalyEvent> all = DetectorTopics.anomalies(broker, registry, o, ENTITY, 1, TIMEOUT);
      AnomalyEvent after = all.stream().filter(e -> e.getWindowStart().toEpochMilli() == CpuSpikes.windowStart(SECOND_SPIKE))
          .findFirst().orElseThrow();
      assertThat(after.getModelVersions()).containsEntry(ModelSpec.LSTM_AUTOENCODER, 1L);
      assertThat(all).extracting(AnomalyEvent::getEventId).doesNotHaveDuplicates();
      assertThat(all).extracting(e -> e.getWindowStart().toEpochMilli()).doesNotHaveDuplicates();
      // the model came back from the checkpoint, not from the topic: the restarted job saw no model update
      assertThat(second.status).noneMatch(s -> s.startsWith("accepted"));
    } finally {
      second.stop();
    }
  }

  /** A running job and the model status lines it has emitted so far. */
  private record Running(JobClient job, CloseableIterator<String> iterator, Queue<String> status) {
    void stop() throws Exception {
      job.cancel().get();
      iterator.close();
    }
  }

  private static Running start(DetectorOptions o, Configuration extra) throws Exception {
    Configuration conf = DetectorMain.flinkConfiguration(o);
    conf.addAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);
    DetectorJob.Result r = DetectorMain.pipeline(env, o, QuietScorer::new, Clock.systemUTC());
    CloseableIterator<String> iterator = r.modelStatus().collectAsync();
    JobClient job = env.executeAsync(DetectorMain.JOB_NAME);
    return new Running(job, iterator, JobOutput.collect(iterator, "model-status"));
  }

}
