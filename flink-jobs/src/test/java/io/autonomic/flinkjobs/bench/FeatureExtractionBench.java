package io.autonomic.flinkjobs.bench;

import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.DetectorJob;
import io.autonomic.flinkjobs.detector.DetectorMain;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.flinkjobs.detector.kafka.Decoded;
import io.autonomic.flinkjobs.detector.kafka.SplitDecoded;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.testkit.ApicurioRegistryProcess;
import io.autonomic.testkit.EmbeddedKafkaBroker;
import io.autonomic.testkit.RegistryExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Feature-extraction throughput at parallelism 1, reading telemetry.metrics from a real broker with Avro decoding
 * through the registry, against a trivial keyed-count window job over the same topic in the same run.
 * {@code java -cp <test classpath> io.autonomic.flinkjobs.bench.FeatureExtractionBench [points] [rounds]}.
 * Not run by the unit tests.
 */
public final class FeatureExtractionBench {
  private static final int SERIES = 1000;
  /** When the running job's source saw its first record (the MiniCluster runs in this JVM). */
  private static final AtomicLong FIRST_RECORD_NANOS = new AtomicLong();

  public static void main(String[] args) throws Exception {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
         ApicurioRegistryProcess registry = ApicurioRegistryProcess.start(RegistryExtension.testOptions())) {
      registry.awaitReady(Duration.ofMinutes(2));
      String topic = "bench.metrics";
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      Map<String, Object> registryProps = Map.of("schema.registry.url", registry.ccompatUrl());
      produce(broker.bootstrapServers(), registryProps, topic, points);

      DetectorOptions o = new DetectorOptions();
      o.metricsTopic = topic;
      Map<String, Object> kafka = new java.util.HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers()));
      // -Dbench.kafka.<consumer property>=<value> tries consumer settings
      System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.kafka."))
          .forEach(k -> kafka.put(k.substring("bench.kafka.".length()), System.getProperty(k)));
      o.kafka = kafka;
      o.registry = registryProps;
      o.startingOffsets = "earliest";
      List<Double> count = new ArrayList<>();
      List<Double> features = new ArrayList<>();
      List<Double> perPoint = new ArrayList<>();
      // one warm-up round first (JIT compilation, class loading), not counted
      for (int r = 0; r <= rounds; r++) {
        double c = run(o, points, Job.COUNT);
        double f = run(o, points, Job.FEATURES);
        double pp = run(o, points, Job.FEATURES_PER_POINT);
        String line = String.format("keyed-count %.2fM points/s, features %.2fM points/s, features without "
            + "pre-aggregation %.2fM points/s", c / 1e6, f / 1e6, pp / 1e6);
        if (r == 0) {
          System.out.println("warm-up: " + line);
          continue;
        }
        count.add(c);
        features.add(f);
        perPoint.add(pp);
        System.out.printf("round %d: %s%n", r, line);
      }
      double c = median(count);
      double f = median(features);
      double pp = median(perPoint);
      System.out.printf("MEDIAN of %d rounds, %d points, %d series, parallelism 1: keyed-count %.2fM/s, "
          + "features %.2fM/s (ratio %.2f), features without pre-aggregation %.2fM/s (ratio %.2f)%n", rounds, points,
          SERIES, c / 1e6, f / 1e6, f / c, pp / 1e6, pp / c);
    }
  }

  /** The jobs compared. */
  enum Job { COUNT, FEATURES, FEATURES_PER_POINT }

  /** Points per second of one bounded run over the whole topic. */
  static double run(DetectorOptions options, int points, Job job) throws Exception {
    DetectorOptions o = options;
    boolean features = job != Job.COUNT;
    if (job == Job.FEATURES_PER_POINT) {
      o = new DetectorOptions();
      o.metricsTopic = options.metricsTopic;
      o.kafka = options.kafka;
      o.registry = options.registry;
      o.startingOffsets = options.startingOffsets;
      o.preAggregate = false;
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    FIRST_RECORD_NANOS.set(0);
    // the timestamp assigner runs in the source on every record: the first call marks the end of job start-up
    WatermarkStrategy<Decoded> watermarks = WatermarkStrategy.<Decoded>forBoundedOutOfOrderness(o.outOfOrderness)
        .withTimestampAssigner((d, ts) -> {
          if (FIRST_RECORD_NANOS.get() == 0) {
            FIRST_RECORD_NANOS.compareAndSet(0, System.nanoTime());
          }
          return d.eventTime();
        });
    DataStream<MetricPoint> decoded = env.fromSource(DetectorMain.sourceBuilder(o, Clock.systemUTC())
            .setBounded(OffsetsInitializer.latest()).setGroupId("bench-" + System.nanoTime()).build(),
        watermarks, "metrics").process(new SplitDecoded());
    if (features) {
      DetectorJob.features(decoded, o).sinkTo(new DiscardingSink<>());
    } else {
      decoded.keyBy(p -> p.getEntityId() + '\u001f' + p.getMetric())
          .window(TumblingEventTimeWindows.of(o.windowSize))
          .aggregate(new Count()).sinkTo(new DiscardingSink<>());
    }
    long start = System.nanoTime();
    env.execute("bench-" + job);
    long end = System.nanoTime();
    System.out.printf("  %s: %.2fM points/s from the first record (job start-up %.1f s excluded), %.2fM/s wall%n",
        job, points / ((end - FIRST_RECORD_NANOS.get()) / 1e9) / 1e6,
        (FIRST_RECORD_NANOS.get() - start) / 1e9, points / ((end - start) / 1e9) / 1e6);
    return points / ((end - FIRST_RECORD_NANOS.get()) / 1e9);
  }

  static void produce(String bootstrap, Map<String, Object> registryProps, String topic, int points) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("linger.ms", "20");
    props.put("batch.size", "262144");
    props.put("compression.type", "lz4");
    AvroSerializer<MetricPoint> values = new AvroSerializer<>();
    values.configure(registryProps, false);
    long t0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    try (KafkaProducer<String, MetricPoint> producer = new KafkaProducer<>(props, new StringSerializer(),
        values)) {
      for (int i = 0; i < points; i++) {
        int series = i % SERIES;
        String entity = "host-" + (series / 10);
        MetricPoint p = MetricPoint.newBuilder().setEntityId(entity).setMetric("metric." + (series % 10))
            .setValue(50 + 10 * Math.sin(i / 5000.0) + (i % 7)).setEventTime(Instant.ofEpochMilli(
                t0 + (i / SERIES) * 1000L)).setTags(Map.of("service", "bench")).build();
        producer.send(new ProducerRecord<>(topic, entity, p));
      }
      producer.flush();
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** The trivial baseline: a count per key and window. */
  static final class Count implements AggregateFunction<MetricPoint, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(MetricPoint value, Long acc) {
      return acc + 1;
    }

    @Override
    public Long getResult(Long acc) {
      return acc;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }
}
