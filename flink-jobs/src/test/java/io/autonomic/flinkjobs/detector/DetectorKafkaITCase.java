package io.autonomic.flinkjobs.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.Scenarios.Kind;
import io.autonomic.flinkjobs.detector.functions.LatePoints;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job against the real broker and registry, in a local MiniCluster, with exactly-once sinks. */
@IntegrationStack
class DetectorKafkaITCase {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void detectsFromKafkaWritesExactlyOnceAndSendsMalformedAndLatePointsToTheDlq(TestBroker broker,
      TestRegistry registry, @TempDir Path checkpoints) throws Exception {
    DetectorOptions o = options(broker, registry, checkpoints);
    List<MetricPoint> points = new ArrayList<>(Scenarios.entity("spike", Kind.SPIKE, 1));
    points.addAll(Scenarios.entity("clean", Kind.CLEAN, 2));
    points.sort(Comparator.comparing(MetricPoint::getEventTime));
    produce(broker, registry, o.metricsTopic, points);
    broker.produceRaw(o.metricsTopic, List.of(
        new ProducerRecord<>(o.metricsTopic, bytes("spike"), bytes("not avro at all"))));
    MetricPoint nan = TestPoints.point("spike", "cpu", Scenarios.ONSET_MS, Double.NaN);
    produce(broker, registry, o.metricsTopic, List.of(nan));

    JobClient job = start(o, new Configuration());
    try {
      List<ConsumerRecord<String, AnomalyEvent>> anomalies = broker.consume(o.anomaliesTopic,
          new StringDeserializer(), anomalyDeserializer(registry), 1, TIMEOUT);
      assertThat(anomalies).allSatisfy(r -> {
        assertThat(r.key()).isEqualTo("spike");
        assertThat(r.value().getEntityId()).isEqualTo("spike");
        assertThat(r.value().getScore()).isGreaterThanOrEqualTo(r.value().getThreshold());
        assertThat(r.value().getContributions()).isNotEmpty();
      });
      assertThat(anomalies).anyMatch(r -> r.value().getWindowStart().toEpochMilli() == Scenarios.ONSET_MS
          && "cpu".equals(r.value().getMetric()));

      // the watermark is past the onset now: a point from the first window is late
      produce(broker, registry, o.metricsTopic, List.of(TestPoints.point("clean", "cpu", TestPoints.T0, 1)));

      List<ConsumerRecord<String, DeadLetter>> dead = broker.consume(o.dlqTopic, new StringDeserializer(),
          deadLetterDeserializer(registry), 3, TIMEOUT);
      assertThat(dead).hasSize(3).allSatisfy(r -> assertThat(r.key()).isEqualTo(o.metricsTopic));
      assertThat(dead).extracting(r -> r.value().getReason())
          .anyMatch(reason -> reason.startsWith("cannot read value"))
          .anyMatch(reason -> reason.contains("value is NaN"))
          .contains(LatePoints.REASON);
      assertThat(dead).filteredOn(r -> r.value().getReason().startsWith("cannot read value")).singleElement()
          .satisfies(r -> {
            assertThat(r.value().getValue().array()).isEqualTo(bytes("not avro at all"));
            assertThat(r.value().getSourceOffset()).isGreaterThanOrEqualTo(0);
          });
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void aRestartFromACheckpointLosesNoAnomalyAndDuplicatesNone(TestBroker broker, TestRegistry registry,
      @TempDir Path checkpoints) throws Exception {
    DetectorOptions o = options(broker, registry, checkpoints);
    List<MetricPoint> all = new ArrayList<>(Scenarios.entity("spike", Kind.SPIKE, 3));
    all.addAll(Scenarios.entity("clean", Kind.CLEAN, 4));
    // a first spike 210 windows before the scenario's own (the detector suppresses repeats for 200 points)
    long firstSpike = Scenarios.ONSET_MS - 210 * Scenarios.WINDOW_MS;
    long secondSpike = Scenarios.ONSET_MS;
    for (int i = 0; i < all.size(); i++) {
      MetricPoint p = all.get(i);
      long t = p.getEventTime().toEpochMilli();
      if (p.getEntityId().equals("spike") && p.getMetric().equals("cpu") && t >= firstSpike
          && t < firstSpike + Scenarios.WINDOW_MS) {
        all.set(i, TestPoints.point("spike", "cpu", t, p.getValue() + 40));
      }
      // the second spike is larger: a repeat of the same extreme is, rightly, less surprising to the detector
      if (p.getEntityId().equals("spike") && p.getMetric().equals("cpu") && t >= secondSpike
          && t < secondSpike + Scenarios.WINDOW_MS) {
        all.set(i, TestPoints.point("spike", "cpu", t, p.getValue() + 80));
      }
    }
    all.sort(Comparator.comparing(MetricPoint::getEventTime));
    long split = firstSpike + 60 * Scenarios.WINDOW_MS;
    produce(broker, registry, o.metricsTopic, all.stream().filter(p -> p.getEventTime().toEpochMilli() < split)
        .toList());

    JobClient first = start(o, new Configuration());
    broker.consume(o.anomaliesTopic, new StringDeserializer(), anomalyDeserializer(registry), 1, TIMEOUT);
    first.cancel().get();
    Optional<Path> checkpoint = DetectorMain.latestCheckpoint(checkpoints);
    assertThat(checkpoint).as("a retained checkpoint").isPresent();

    produce(broker, registry, o.metricsTopic, all.stream().filter(p -> p.getEventTime().toEpochMilli() >= split)
        .toList());
    JobClient second = start(o, DetectorMain.resumingFrom(o, checkpoint.get()));
    try {
      List<ConsumerRecord<String, AnomalyEvent>> anomalies = broker.consume(o.anomaliesTopic,
          new StringDeserializer(), anomalyDeserializer(registry), 2, TIMEOUT);
      List<AnomalyEvent> events = anomalies.stream().map(ConsumerRecord::value).toList();
      assertThat(events).extracting(e -> e.getEntityId() + "/" + e.getMetric() + "@"
          + e.getWindowStart().toEpochMilli())
          .contains("spike/cpu@" + firstSpike, "spike/cpu@" + secondSpike)
          .doesNotHaveDuplicates();
      assertThat(events).extracting(AnomalyEvent::getEventId).doesNotHaveDuplicates();
      // nothing but the two spikes (and the window right after one, where the jump back down is seen)
      assertThat(events).allSatisfy(e -> assertThat(e.getWindowStart().toEpochMilli()).satisfiesAnyOf(
          t -> assertThat(t - firstSpike).isBetween(0L, 2 * Scenarios.WINDOW_MS),
          t -> assertThat(t - secondSpike).isBetween(0L, 2 * Scenarios.WINDOW_MS)));
    } finally {
      second.cancel().get();
    }
  }

  private static DetectorOptions options(TestBroker broker, TestRegistry registry, Path checkpoints) {
    DetectorOptions o = new DetectorOptions();
    o.metricsTopic = broker.uniqueTopic("metrics");
    o.anomaliesTopic = broker.uniqueTopic("anomalies");
    o.dlqTopic = broker.uniqueTopic("dlq");
    o.groupId = broker.uniqueId("detector");
    o.transactionalIdPrefix = broker.uniqueId("detector-tx");
    broker.createTopic(o.metricsTopic, 2);
    broker.createTopic(o.anomaliesTopic, 1);
    broker.createTopic(o.dlqTopic, 1);
    o.windowSize = Duration.ofMillis(Scenarios.WINDOW_MS);
    o.outOfOrderness = Duration.ofMillis(200);
    o.idleness = Duration.ofSeconds(1);
    o.checkpointInterval = Duration.ofSeconds(1);
    o.checkpointDir = checkpoints.toUri().toString();
    o.parallelism = 1;
    o.threshold = 0.99;
    o.kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    o.registry = Map.of("schema.registry.url", registry.ccompatUrl());
    return o;
  }

  private static JobClient start(DetectorOptions o, Configuration extra) throws Exception {
    Configuration conf = DetectorMain.flinkConfiguration(o);
    conf.addAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);
    DetectorMain.pipeline(env, o, DetectorJob.defaultScorers(o), Clock.systemUTC());
    return env.executeAsync(DetectorMain.JOB_NAME);
  }

  private static void produce(TestBroker broker, TestRegistry registry, String topic, List<MetricPoint> points) {
    AvroSerializer<MetricPoint> values = new AvroSerializer<>();
    values.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
    List<ProducerRecord<String, MetricPoint>> records = points.stream()
        .map(p -> new ProducerRecord<>(topic, p.getEntityId(), p)).toList();
    broker.produce(topic, new StringSerializer(), values, records);
  }

  private static AvroDeserializer<AnomalyEvent> anomalyDeserializer(TestRegistry registry) {
    AvroDeserializer<AnomalyEvent> d = AvroDeserializer.specific(AnomalyEvent.class);
    d.configure(new HashMap<>(Map.of("schema.registry.url", registry.ccompatUrl())), false);
    return d;
  }

  private static AvroDeserializer<DeadLetter> deadLetterDeserializer(TestRegistry registry) {
    AvroDeserializer<DeadLetter> d = AvroDeserializer.specific(DeadLetter.class);
    d.configure(new HashMap<>(Map.of("schema.registry.url", registry.ccompatUrl())), false);
    return d;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
