package io.autonomic.ingest.bench;

import io.autonomic.avro.MetricPoint;
import io.autonomic.config.ConfigLoader;
import io.autonomic.ingest.delivery.DeliveryMetrics;
import io.autonomic.ingest.delivery.ProducerSettings;
import io.autonomic.ingest.delivery.ReliablePublisher;
import io.autonomic.ingest.delivery.RestartableBroker;
import io.autonomic.registry.WireFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Points per second the agent's publisher sends (Avro serialization, sequencing, memory/spool backlog,
 * idempotent lz4 producer, acks=all), side by side with Kafka's own ProducerPerformance at the same
 * record size against the same broker (a fresh local broker process started here).
 *
 * <p>Run: {@code mvn -o -q -pl ingest test-compile exec:java} is not configured; use
 * {@code java -cp "$(cat /tmp/ingest-cp):ingest/target/classes:ingest/target/test-classes"
 * io.autonomic.ingest.bench.PublisherBenchmark [records] [rounds]} (see docs/benchmarks-ingest.md).
 *
 * <p>The registry lookup is replaced by a fixed schema id (the serializer caches the id after the
 * first record anyway); everything else is the production path.
 */
public final class PublisherBenchmark {
  private PublisherBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("ingest-bench");
    RestartableBroker broker = new RestartableBroker(dir.resolve("broker"));
    broker.start();
    try {
      int size = serializer().serialize("t", point(0)).length;
      System.out.printf("record value size: %d bytes (a MetricPoint with 2 tags)%n", size);
      List<Double> ours = new ArrayList<>();
      List<Double> raw = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        String topicA = "bench-publisher-" + round;
        String topicB = "bench-raw-" + round;
        broker.createTopic(topicA, 6);
        broker.createTopic(topicB, 6);
        ours.add(publisher(broker.bootstrapServers(), topicA, records, dir.resolve("spool-" + round)));
        raw.add(producerPerformance(broker.bootstrapServers(), topicB, records, size, dir));
        System.out.printf("round %d: publisher %.0f points/s, ProducerPerformance %.0f records/s%n", round,
            ours.get(round), raw.get(round));
      }
      double a = median(ours);
      double b = median(raw);
      System.out.printf("MEDIAN publisher %.0f points/s | ProducerPerformance %.0f records/s | ratio %.2f%n", a, b, a / b);
    } finally {
      broker.stop();
    }
  }

  private static MetricPoint point(long i) {
    return MetricPoint.newBuilder().setEntityId("host-" + (i % 50)).setMetric("system.cpu.utilization")
        .setValue(i * 0.001).setUnit("1").setEventTime(Instant.ofEpochMilli(1_764_129_600_000L + i))
        .setEntityKind("host").setTags(Map.of("cpu", Long.toString(i % 8), "state", "user")).setSource("agent:bench")
        .build();
  }

  private static Serializer<SpecificRecord> serializer() {
    byte[] header = WireFormat.header(1);
    SpecificDatumWriter<SpecificRecord> writer = new SpecificDatumWriter<>(MetricPoint.getClassSchema());
    return (topic, data) -> {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(header);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(data, encoder);
        encoder.flush();
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static double publisher(String bootstrap, String topic, int records, Path spool) {
    var config = ConfigLoader.load(null, List.of("kafka.bootstrap.servers=" + bootstrap));
    var props = ProducerSettings.properties(config, "bench");
    DeliveryMetrics metrics = new DeliveryMetrics(new SimpleMeterRegistry());
    ReliablePublisher publisher = new ReliablePublisher(() -> new KafkaProducer<>(props), serializer(), spool,
        1L << 30, 64L << 20, metrics, new ReliablePublisher.Settings(100_000, 50_000, Duration.ofSeconds(120)));
    // points are built before timing, as a collector hands over ready points
    List<MetricPoint> points = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      points.add(point(i));
    }
    long t0 = System.nanoTime();
    for (MetricPoint p : points) {
      publisher.publish(topic, "bench", p.getEntityId(), p);
    }
    while (metrics.total(DeliveryMetrics.SENT) < records) {
      LockSupport.parkNanos(1_000_000L);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long spooled = metrics.total(DeliveryMetrics.SPOOLED);
    publisher.close();
    System.out.printf("  publisher: %d points in %.2f s (%d went through the disk spool)%n", records, seconds, spooled);
    return records / seconds;
  }

  private static double producerPerformance(String bootstrap, String topic, int records, int size, Path dir)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve("perf-" + topic + ".log");
    Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "org.apache.kafka.tools.ProducerPerformance", "--topic", topic, "--num-records", Integer.toString(records),
        "--record-size", Integer.toString(size), "--throughput", "-1", "--producer-props",
        "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true", "compression.type=lz4",
        "linger.ms=20", "batch.size=262144").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.waitFor();
    String last = null;
    for (String line : Files.readAllLines(log)) {
      if (line.contains("records sent") && line.contains("records/sec")) {
        last = line;
      }
    }
    if (last == null) {
      throw new IllegalStateException("no result from ProducerPerformance; see " + log);
    }
    System.out.println("  ProducerPerformance: " + last.trim());
    String perSec = last.substring(last.indexOf("records sent,") + "records sent,".length(), last.indexOf("records/sec")).trim();
    return Double.parseDouble(perSec);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
