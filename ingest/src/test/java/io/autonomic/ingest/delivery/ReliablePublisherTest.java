package io.autonomic.ingest.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.MetricPoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReliablePublisherTest {
  @TempDir
  Path spoolDir;

  /** Writes the value as its metric name, so tests can read the order back. */
  private static final Serializer<SpecificRecord> NAME_SERIALIZER =
      (topic, data) -> ((MetricPoint) data).getMetric().getBytes(StandardCharsets.UTF_8);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DeliveryMetrics metrics = new DeliveryMetrics(registry);
  private final AtomicReference<MockProducer<byte[], byte[]>> producer = new AtomicReference<>();
  private ReliablePublisher publisher;

  private ReliablePublisher start(boolean autoComplete, int memory, int inFlight) {
    producer.set(new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer()));
    publisher = new ReliablePublisher(producer::get, NAME_SERIALIZER, spoolDir, 1 << 20, 1 << 14, metrics,
        new ReliablePublisher.Settings(memory, inFlight, Duration.ofMillis(300), Duration.ofMillis(200)));
    return publisher;
  }

  @AfterEach
  void close() {
    if (publisher != null) {
      publisher.close();
    }
  }

  private static MetricPoint point(int i) {
    return MetricPoint.newBuilder().setEntityId("host-1").setMetric("m" + i).setValue(i)
        .setEventTime(Instant.EPOCH.plusSeconds(i)).setTags(Map.of()).build();
  }

  private static List<String> values(List<ProducerRecord<byte[], byte[]>> history) {
    return history.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
  }

  private static List<String> expected(int from, int to) {
    return java.util.stream.IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
  }

  @Test
  void healthyBrokerGetsEveryPointInOrderAndCountersAgree() {
    start(true, 1000, 10);
    for (int i = 0; i < 500; i++) {
      publisher.metric("host", point(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.backlog() == 0);
    assertThat(values(producer.get().history())).isEqualTo(expected(0, 500));
    assertThat(producer.get().history().get(0).topic()).isEqualTo("telemetry.metrics");
    assertThat(new String(producer.get().history().get(0).key(), StandardCharsets.UTF_8)).isEqualTo("host-1");
    assertThat(metrics.count(DeliveryMetrics.COLLECTED, "host")).isEqualTo(500);
    assertThat(metrics.count(DeliveryMetrics.SENT, "host")).isEqualTo(500);
    assertThat(metrics.total(DeliveryMetrics.SPOOLED)).isZero();
  }

  @Test
  void anOutageSpoolsToDiskAndTheBacklogDrainsInOrderWhenTheBrokerReturns() {
    start(false, 10, 5);
    for (int i = 0; i < 100; i++) {
      publisher.metric("host", point(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.get().history().size() == 5);
    // 10 wait in memory, up to 5 were taken before they were published: the rest is on disk
    assertThat(metrics.count(DeliveryMetrics.SPOOLED, "host")).isBetween(85L, 90L);
    assertThat(publisher.spoolPoints()).isEqualTo(metrics.count(DeliveryMetrics.SPOOLED, "host"));

    // the broker is back: acknowledge as the producer sends
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      while (producer.get().completeNext()) {
        // acknowledge everything sent so far
      }
      return publisher.backlog() == 0;
    });
    assertThat(values(producer.get().history())).isEqualTo(expected(0, 100));
    assertThat(metrics.count(DeliveryMetrics.SENT, "host")).isEqualTo(100);
    assertThat(publisher.spoolPoints()).isZero();
  }

  @Test
  void pointsNotAcknowledgedAtShutdownAreSentFirstOnTheNextStart() {
    start(false, 10, 5);
    for (int i = 0; i < 30; i++) {
      publisher.metric("host", point(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.get().history().size() == 5);
    producer.get().completeNext();
    producer.get().completeNext();
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count(DeliveryMetrics.SENT, "host") == 2);
    publisher.close();
    publisher = null;

    start(true, 10, 5);
    for (int i = 30; i < 40; i++) {
      publisher.metric("host", point(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.backlog() == 0);
    assertThat(values(producer.get().history())).isEqualTo(expected(2, 40));
    assertThat(metrics.count(DeliveryMetrics.SENT, "host")).isEqualTo(40);
    assertThat(metrics.count(DeliveryMetrics.COLLECTED, "host")).isEqualTo(40);
  }

  @Test
  void aPointTheBrokerRefusesForGoodIsCountedAsFailed() {
    start(false, 10, 5);
    publisher.metric("host", point(0));
    publisher.metric("host", point(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.get().history().size() == 2);
    producer.get().errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("too large"));
    producer.get().completeNext();
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.backlog() == 0);
    assertThat(metrics.count(DeliveryMetrics.FAILED, "host")).isEqualTo(1);
    assertThat(metrics.count(DeliveryMetrics.SENT, "host")).isEqualTo(1);
  }

  @Test
  void aPointThatCannotBeSerializedIsCountedAsFailed() {
    producer.set(new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));
    publisher = new ReliablePublisher(producer::get, (t, d) -> {
      throw new org.apache.kafka.common.errors.SerializationException("registry unreachable");
    }, spoolDir, 1 << 20, 1 << 14, metrics, new ReliablePublisher.Settings(10, 5, Duration.ofMillis(100)));
    publisher.metric("otlp", point(0));
    assertThat(metrics.count(DeliveryMetrics.FAILED, "otlp")).isEqualTo(1);
    assertThat(producer.get().history()).isEmpty();
  }
}
