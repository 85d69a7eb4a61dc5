package io.autonomic.flinkjobs.detector;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The model ITCases' Kafka plumbing: topics of their own, Avro in and out through the registry. */
final class DetectorTopics {
  private DetectorTopics() {}

  /**
   * Options for a model test on fresh topics (metrics: 2 partitions, anomalies and dead letters: 1, models: 1,
   * compacted): windows of {@code windowMs}, 1 s checkpoints into {@code checkpoints}, parallelism 1, small
   * inference batches. Tests set their threshold and scoring switches on top.
   */
  static DetectorOptions modelOptions(TestBroker broker, TestRegistry registry, Path checkpoints, long windowMs) {
    DetectorOptions o = new DetectorOptions();
    o.metricsTopic = broker.uniqueTopic("metrics");
    o.anomaliesTopic = broker.uniqueTopic("anomalies");
    o.dlqTopic = broker.uniqueTopic("dlq");
    o.modelsTopic = broker.uniqueTopic("models");
    o.groupId = broker.uniqueId("detector");
    o.transactionalIdPrefix = broker.uniqueId("detector-tx");
    broker.createTopic(o.metricsTopic, 2);
    broker.createTopic(o.anomaliesTopic, 1);
    broker.createTopic(o.dlqTopic, 1);
    broker.createTopic(o.modelsTopic, 1, Map.of("cleanup.policy", "compact"));
    o.windowSize = Duration.ofMillis(windowMs);
    o.outOfOrderness = Duration.ofMillis(200);
    o.idleness = Duration.ofSeconds(1);
    o.checkpointInterval = Duration.ofSeconds(1);
    o.checkpointDir = checkpoints.toUri().toString();
    o.parallelism = 1;
    o.modelBatchSize = 64;
    o.modelBatchMaxDelay = Duration.ofMillis(10);
    o.kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    o.registry = Map.of("schema.registry.url", registry.ccompatUrl());
    return o;
  }

  /** The committed anomalies of {@code entity} (read_committed), once at least {@code atLeast} events are there. */
  static List<AnomalyEvent> anomalies(TestBroker broker, TestRegistry registry, DetectorOptions o, String entity,
      int atLeast, Duration timeout) {
    AvroDeserializer<AnomalyEvent> d = AvroDeserializer.specific(AnomalyEvent.class);
    d.configure(new HashMap<>(Map.of("schema.registry.url", registry.ccompatUrl())), false);
    return broker.consume(o.anomaliesTopic, new StringDeserializer(), d, atLeast, timeout).stream()
        .map(ConsumerRecord::value).filter(e -> entity.equals(e.getEntityId())).toList();
  }

  /** Announces a model version on {@code topic} (key: the model key). */
  static void publish(TestBroker broker, TestRegistry registry, String topic, ModelUpdate u) {
    AvroSerializer<ModelUpdate> values = new AvroSerializer<>();
    values.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
    broker.produce(topic, new StringSerializer(), values, List.of(new ProducerRecord<>(topic, u.getModelKey(), u)));
  }

  /** Writes the points to {@code topic}, keyed by entity. */
  static void produce(TestBroker broker, TestRegistry registry, String topic, List<MetricPoint> points) {
    AvroSerializer<MetricPoint> values = new AvroSerializer<>();
    values.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
    broker.produce(topic, new StringSerializer(), values,
        points.stream().map(p -> new ProducerRecord<>(topic, p.getEntityId(), p)).toList());
  }
}
