package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --from-topic --publish} against the real broker and registry. */
@IntegrationStack
class TrainerITCase {
  static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void trainsFromTheMetricsTopicAndAnnouncesVerifiableArtifacts(TestBroker broker, TestRegistry registry,
      @TempDir Path dir) throws Exception {
    TrainerOptions o = TrainerAppCsvTest.small(dir.resolve("models"));
    o.metricsTopic = broker.uniqueTopic("metrics");
    o.modelsTopic = broker.uniqueTopic("models");
    o.publish = true;
    o.kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    o.registry = Map.of("schema.registry.url", registry.ccompatUrl());
    broker.createTopic(o.metricsTopic, 2);
    broker.createTopic(o.modelsTopic, 1);
    produce(broker, registry, o.metricsTopic, points(60));
    broker.produceRaw(o.metricsTopic, List.of(new ProducerRecord<>(o.metricsTopic, "web-1".getBytes(),
        "not avro".getBytes())));

    TrainerApp.Result r;
    try (TrainerApp app = TrainerApp.create(o, Clock.systemUTC())) {
      r = app.trainFromTopic(null, null);
    }

    assertThat(r.badRecords()).isEqualTo(1);
    assertThat(r.trained()).extracting(StoredModel::modelKey).containsExactlyInAnyOrder(
        "lstm-autoencoder/web-1/cpu", "lstm-autoencoder/web-1/latency", "dense-autoencoder/web-1");
    AvroDeserializer<ModelUpdate> values = AvroDeserializer.specific(ModelUpdate.class);
    values.configure(new HashMap<>(Map.of("schema.registry.url", registry.ccompatUrl())), false);
    List<ConsumerRecord<String, ModelUpdate>> updates = broker.consume(o.modelsTopic, new StringDeserializer(),
        values, 3, Duration.ofSeconds(60));
    assertThat(updates).hasSize(3).allSatisfy(rec -> {
      ModelUpdate u = rec.value();
      assertThat(rec.key()).isEqualTo(u.getModelKey());
      assertThat(u.getVersion()).isEqualTo(1);
      Path zip = Paths.get(URI.create(u.getArtifactUri()));
      assertThat(Artifacts.sha256(zip)).isEqualTo(u.getSha256());
      ModelKind kind = ModelKind.fromKindName(u.getKind());
      ScoringModel model = ScoringModel.of(kind, ModelStore.load(u), u.getFeatures(), u.getCalibration());
      List<double[]> rows = new ArrayList<>();
      for (int i = 0; i < model.length(); i++) {
        double[] row = new double[u.getFeatures().size()];
        java.util.Arrays.fill(row, 50);
        rows.add(row);
      }
      assertThat(model.lastError(rows)).isFinite().isNotNegative();
      assertThat(u.getTrainedFrom()).isEqualTo(T0);
    });
  }

  @Test
  void watchTrainsEachSeriesOnceItHasItsWarmUpWindows(TestBroker broker, TestRegistry registry,
      @TempDir Path dir) throws Exception {
    TrainerOptions o = TrainerAppCsvTest.small(dir.resolve("models"));
    o.kind = "lstm";
    o.metricsTopic = broker.uniqueTopic("metrics");
    o.modelsTopic = broker.uniqueTopic("models");
    o.groupId = broker.uniqueId("trainer");
    o.publish = true;
    o.outOfOrderness = Duration.ZERO;
    o.kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    o.registry = Map.of("schema.registry.url", registry.ccompatUrl());
    broker.createTopic(o.metricsTopic, 1);
    broker.createTopic(o.modelsTopic, 1);
    List<MetricPoint> all = points(50);
    produce(broker, registry, o.metricsTopic, all.subList(0, 6 * 30)); // 30 windows: still warming up

    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread watch = new Thread(() -> {
      try (TrainerApp app = TrainerApp.create(o, Clock.systemUTC())) {
        app.watch(running);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "watch");
    watch.start();
    try {
      produce(broker, registry, o.metricsTopic, all.subList(6 * 30, all.size())); // 50 windows: past 40
      AvroDeserializer<ModelUpdate> values = AvroDeserializer.specific(ModelUpdate.class);
      values.configure(new HashMap<>(Map.of("schema.registry.url", registry.ccompatUrl())), false);
      List<ConsumerRecord<String, ModelUpdate>> first = broker.consume(o.modelsTopic, new StringDeserializer(),
          values, 2, Duration.ofSeconds(120));
      assertThat(first).extracting(rec -> rec.value().getModelKey() + " v" + rec.value().getVersion())
          .containsExactlyInAnyOrder("lstm-autoencoder/web-1/cpu v1", "lstm-autoencoder/web-1/latency v1");
      assertThat(first).allSatisfy(rec -> assertThat(Artifacts.sha256(Paths.get(URI.create(
          rec.value().getArtifactUri())))).isEqualTo(rec.value().getSha256()));
    } finally {
      running.set(false);
      watch.join(60_000);
    }
    assertThat(watch.isAlive()).isFalse();
  }

  @Test
  void watchRetrainsASeriesWhenItsRecentErrorsDrift(TestBroker broker, TestRegistry registry, @TempDir Path dir)
      throws Exception {
    TrainerOptions o = TrainerAppCsvTest.small(dir.resolve("models"));
    o.kind = "lstm";
    o.metricsTopic = broker.uniqueTopic("metrics");
    o.modelsTopic = broker.uniqueTopic("models");
    o.groupId = broker.uniqueId("trainer");
    o.publish = true;
    o.driftErrors = 8;
    o.outOfOrderness = Duration.ZERO;
    o.kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    o.registry = Map.of("schema.registry.url", registry.ccompatUrl());
    broker.createTopic(o.metricsTopic, 1);
    broker.createTopic(o.modelsTopic, 1);
    List<MetricPoint> all = points(90);
    int warm = 6 * 50;
    produce(broker, registry, o.metricsTopic, all.subList(0, warm));
    AvroDeserializer<ModelUpdate> values = AvroDeserializer.specific(ModelUpdate.class);
    values.configure(new HashMap<>(Map.of("schema.registry.url", registry.ccompatUrl())), false);

    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread watch = new Thread(() -> {
      try (TrainerApp app = TrainerApp.create(o, Clock.systemUTC())) {
        app.watch(running);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "watch");
    watch.start();
    try {
      broker.consume(o.modelsTopic, new StringDeserializer(), values, 2, Duration.ofSeconds(120));
      // cpu's level jumps and stays (latency does not): cpu's recent errors exceed its p99, it alone is retrained
      List<MetricPoint> shifted = all.subList(warm, all.size()).stream()
          .map(p -> p.getMetric().equals("cpu") ? point("cpu", p.getEventTime(), p.getValue() + 200) : p).toList();
      produce(broker, registry, o.metricsTopic, shifted);
      List<ConsumerRecord<String, ModelUpdate>> updates = broker.consume(o.modelsTopic, new StringDeserializer(),
          values, 3, Duration.ofSeconds(120));
      assertThat(updates).extracting(rec -> rec.value().getModelKey() + " v" + rec.value().getVersion())
          .contains("lstm-autoencoder/web-1/cpu v2").doesNotContain("lstm-autoencoder/web-1/latency v2");
    } finally {
      running.set(false);
      watch.join(60_000);
    }
    assertThat(watch.isAlive()).isFalse();
  }

  /** One entity, two correlated metrics, three points per one-minute window. */
  static List<MetricPoint> points(int windows) {
    Random r = new Random(9);
    List<MetricPoint> points = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      for (int k = 0; k < 3; k++) {
        Instant t = T0.plusSeconds(60L * w + 20L * k);
        double load = 50 + 20 * Math.sin(w / 6.0) + r.nextGaussian();
        points.add(point("cpu", t, load));
        points.add(point("latency", t, 100 + 2 * load));
      }
    }
    return points;
  }

  static MetricPoint point(String metric, Instant t, double v) {
    return MetricPoint.newBuilder().setEntityId("web-1").setMetric(metric).setValue(v).setEventTime(t)
        .setTags(Map.of()).build();
  }

  private static void produce(TestBroker broker, TestRegistry registry, String topic, List<MetricPoint> points) {
    AvroSerializer<MetricPoint> values = new AvroSerializer<>();
    values.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
    broker.produce(topic, new StringSerializer(), values,
        points.stream().map(p -> new ProducerRecord<>(topic, p.getEntityId(), p)).toList());
  }
}
