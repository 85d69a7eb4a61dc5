package io.autonomic.flinkjobs.bench;

import static org.awaitility.Awaitility.await;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.DetectorJob;
import io.autonomic.flinkjobs.detector.DetectorMain;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.testkit.ApicurioRegistryProcess;
import io.autonomic.testkit.EmbeddedKafkaBroker;
import io.autonomic.testkit.RegistryExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Latency from window close to the anomaly being visible on the anomalies topic to a read_committed consumer.
 *
 * <p>Starts an in-JVM broker and an Apicurio registry, then per run: the detector's whole pipeline
 * ({@link DetectorMain#flinkConfiguration} + {@link DetectorMain#pipeline}: registry Avro source, features,
 * statistical scoring, the model stage, exactly-once KafkaSinks) in a local MiniCluster at parallelism 1, fed by
 * a producer of {@value #ENTITIES} entities × 2 metrics = 200 series, one point per series every
 * {@value #STEP_MS} ms with event time = wall clock, 1 s tumbling windows. The first
 * {@code latency.history.windows} (200) windows are back-filled at once (event times in the past) so the detector's
 * baselines are warm without waiting minutes; from then on points are sent in real time. Once the job has caught up
 * (its committed source offsets near the topic's end) and {@value #LEAD_MS} ms more, spikes are injected into one
 * series window after window ({@code spikes/s} per second, each series at most once per run, so the
 * detector's repeat suppression never hides one). A read_committed consumer records, for each anomaly, its
 * receive time; latency = receive − window end, and receive − window close, where the window closes when the
 * watermark passes it (window end + out-of-orderness). Runs alternate the checkpoint intervals given.
 *
 * <p>{@code java -cp <test classpath> io.autonomic.flinkjobs.bench.AnomalyLatencyBench [spikes] [runs]
 * [intervals, e.g. 1s,5s] [spikes/s]}. Not run by the unit tests.
 */
public final class AnomalyLatencyBench {
  static final int ENTITIES = 100;
  static final String[] METRICS = {"cpu", "latency"};
  static final int SERIES = ENTITIES * METRICS.length;
  static final long STEP_MS = 250;
  static final long WINDOW_MS = 1_000;
  static final long OUT_OF_ORDERNESS_MS = 200;
  static final int HISTORY_WINDOWS = Integer.getInteger("latency.history.windows", 200);
  /** Real time between the job having caught up with the back-fill and the first spike. */
  static final long LEAD_MS = 3_000;
  /** After the last spike window: the longest a commit may take before the run ends. */
  static final long TAIL_MS = 15_000;

  public static void main(String[] args) throws Exception {
    int spikes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<Duration> intervals = new ArrayList<>();
    for (String s : (args.length > 2 ? args[2] : "1s,5s").split(",")) {
      intervals.add(Duration.ofMillis(Long.parseLong(s.replace("s", "")) * 1000));
    }
    int perSecond = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    if (spikes > SERIES) {
      throw new IllegalArgumentException("at most " + SERIES + " spikes per run (one per series)");
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
         ApicurioRegistryProcess registry = ApicurioRegistryProcess.start(RegistryExtension.testOptions())) {
      registry.awaitReady(Duration.ofMinutes(2));
      Map<Duration, List<Result>> results = new LinkedHashMap<>();
      int id = 0;
      for (int r = 0; r < runs; r++) {
        for (Duration interval : intervals) {
          Result res = run(broker.bootstrapServers(), registry.ccompatUrl(), interval, spikes, perSecond, id++);
          results.computeIfAbsent(interval, k -> new ArrayList<>()).add(res);
          System.out.printf("run %d, checkpoint %ds: %s%n", r + 1, interval.toSeconds(), res);
        }
      }
      System.out.printf("MEDIAN of %d runs, %d series, 1 s windows, out-of-orderness %d ms, %d spikes/run:%n",
          runs, SERIES, OUT_OF_ORDERNESS_MS, spikes);
      for (Map.Entry<Duration, List<Result>> e : results.entrySet()) {
        List<Result> rs = e.getValue();
        System.out.printf("checkpoint %ds: from window end p50 %d p95 %d p99 %d max %d ms; from window close "
                + "p50 %d p95 %d p99 %d max %d ms; detect (detectedAt - end) p50 %d p99 %d ms; "
                + "spikes seen %s/%d, anomalies %s%n",
            e.getKey().toSeconds(), med(rs, x -> x.fromEnd.p50), med(rs, x -> x.fromEnd.p95),
            med(rs, x -> x.fromEnd.p99), med(rs, x -> x.fromEnd.max), med(rs, x -> x.fromClose.p50),
            med(rs, x -> x.fromClose.p95), med(rs, x -> x.fromClose.p99), med(rs, x -> x.fromClose.max),
            med(rs, x -> x.detect.p50), med(rs, x -> x.detect.p99),
            rs.stream().map(x -> String.valueOf(x.spikesSeen)).toList(), spikes,
            rs.stream().map(x -> String.valueOf(x.fromEnd.n)).toList());
      }
    }
  }

  /** One run: a fresh job on fresh topics; the stats of every anomaly received after the first spike window. */
  static Result run(String bootstrap, String registryUrl, Duration checkpointInterval, int spikes, int perSecond,
      int id) throws Exception {
    String suffix = "-" + id + "-" + System.currentTimeMillis();
    DetectorOptions o = new DetectorOptions();
    o.metricsTopic = "latency.metrics" + suffix;
    o.anomaliesTopic = "latency.anomalies" + suffix;
    o.dlqTopic = "latency.dlq" + suffix;
    o.modelsTopic = "latency.models" + suffix;
    o.groupId = "latency-detector" + suffix;
    o.transactionalIdPrefix = "latency-tx" + suffix;
    o.startingOffsets = "earliest";
    o.windowSize = Duration.ofMillis(WINDOW_MS);
    o.outOfOrderness = Duration.ofMillis(OUT_OF_ORDERNESS_MS);
    o.idleness = Duration.ofSeconds(1);
    o.checkpointInterval = checkpointInterval;
    Path checkpoints = Files.createTempDirectory("latency-chk");
    Path models = Files.createTempDirectory("latency-models");
    o.checkpointDir = checkpoints.toUri().toString();
    o.modelStore = models.toString();
    o.parallelism = 1;
    o.kafka = Map.of("bootstrap.servers", bootstrap);
    o.registry = Map.of("schema.registry.url", registryUrl);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(o.metricsTopic, 2, (short) 1),
          new NewTopic(o.anomaliesTopic, 1, (short) 1), new NewTopic(o.dlqTopic, 1, (short) 1),
          new NewTopic(o.modelsTopic, 1, (short) 1))).all().get();
    }

    // the job first: on a loaded machine the MiniCluster takes tens of seconds to deploy; the clock of the data
    // starts once every task runs (its first checkpoint completed)
    Configuration conf = DetectorMain.flinkConfiguration(o);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);
    DetectorMain.pipeline(env, o, DetectorJob.defaultScorers(o), Clock.systemUTC());
    JobClient job = env.executeAsync(DetectorMain.JOB_NAME);
    try {
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() ->
          DetectorMain.latestCheckpoint(checkpoints).isPresent() || job.getJobStatus().get().isGloballyTerminalState());
    } catch (ConditionTimeoutException e) {
      // reported below with the job's status
    }
    if (DetectorMain.latestCheckpoint(checkpoints).isEmpty()) {
      job.cancel();
      throw new IllegalStateException("the job did not complete a checkpoint: " + job.getJobStatus().get());
    }

    long now = System.currentTimeMillis();
    long realStart = now - now % WINDOW_MS;
    long t0 = realStart - HISTORY_WINDOWS * WINDOW_MS;
    Map<String, Long> spikeWindows = new ConcurrentHashMap<>();
    AtomicLong end = new AtomicLong(Long.MAX_VALUE);
    List<Received> received = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    Thread consumer = new Thread(() -> consume(o, received, stop), "latency-consumer");
    consumer.start();
    Thread producer = new Thread(() -> produce(o, t0, end, spikeWindows), "latency-producer");
    producer.start();

    // spikes only once the job has caught up with the back-fill: its offsets, committed on checkpoint, are near
    // the topic's end
    long caughtUpAt = awaitCaughtUp(o, checkpointInterval);
    long firstSpike = caughtUpAt - caughtUpAt % WINDOW_MS + LEAD_MS;
    // spike k: series k, in window firstSpike + (k / perSecond) s
    for (int k = 0; k < spikes; k++) {
      spikeWindows.put(seriesKey(k), firstSpike + (k / perSecond) * WINDOW_MS);
    }
    long lastSpikeEnd = firstSpike + ((spikes - 1) / perSecond + 1) * WINDOW_MS;
    end.set(lastSpikeEnd + TAIL_MS);
    System.out.printf("  job running, caught up with %d windows of back-fill %d ms after the data started%n",
        HISTORY_WINDOWS, caughtUpAt - now);

    try {
      producer.join();
      // the last spikes' anomalies are committed with the next checkpoints: wait for every spike (or give up and
      // report the ones that came)
      try {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> seenSpikes(received, spikeWindows).size() >= spikes);
      } catch (ConditionTimeoutException e) {
        System.out.printf("  not every spike was reported within 30 s of the last point%n");
      }
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
      stop.set(true);
      consumer.join();
      deleteRecursively(checkpoints);
      deleteRecursively(models);
    }

    List<Received> measured;
    synchronized (received) {
      System.out.printf("  received %d anomalies in all, %d before the first spike window%n", received.size(),
          received.stream().filter(r -> r.windowEnd <= firstSpike).count());
      measured = received.stream().filter(r -> r.windowEnd > firstSpike).toList();
    }
    Set<String> seen = seenSpikes(measured, spikeWindows);
    Result res = new Result();
    res.fromEnd = Stats.of(measured.stream().map(r -> r.receivedAt - r.windowEnd).toList());
    res.fromClose = Stats.of(measured.stream().map(r -> r.receivedAt - r.windowEnd - OUT_OF_ORDERNESS_MS).toList());
    res.detect = Stats.of(measured.stream().map(r -> r.detectedAt - r.windowEnd).toList());
    res.spikesSeen = seen.size();
    res.entityLevel = (int) measured.stream().filter(r -> r.metric == null).count();
    return res;
  }

  static String seriesKey(int k) {
    int series = k % SERIES;
    return entity(series % ENTITIES) + "/" + METRICS[series / ENTITIES];
  }

  static String entity(int i) {
    return String.format("host-%03d", i);
  }

  /** The series whose spike window has an anomaly among {@code received}. */
  static Set<String> seenSpikes(List<Received> received, Map<String, Long> spikeWindows) {
    Set<String> seen = new HashSet<>();
    synchronized (received) {
      for (Received r : received) {
        Long w = r.metric == null ? null : spikeWindows.get(r.entity + "/" + r.metric);
        if (w != null && w == r.windowEnd - WINDOW_MS) {
          seen.add(r.entity + "/" + r.metric);
        }
      }
    }
    return seen;
  }

  /** Waits until the source's committed offsets are within two seconds of data per checkpoint second of the end. */
  static long awaitCaughtUp(DetectorOptions o, Duration checkpointInterval) throws Exception {
    long slack = 2 * (1000 / STEP_MS) * SERIES;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", o.kafka.get("bootstrap.servers")))) {
      List<TopicPartition> partitions = List.of(new TopicPartition(o.metricsTopic, 0),
          new TopicPartition(o.metricsTopic, 1));
      await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(o.groupId)
            .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        long lag = 0;
        for (TopicPartition p : partitions) {
          OffsetAndMetadata c = committed.get(p);
          lag += ends.get(p).offset() - (c == null ? 0 : c.offset());
        }
        return !committed.isEmpty() && lag <= slack * Math.max(1, checkpointInterval.toSeconds());
      });
      return System.currentTimeMillis();
    }
  }

  /** Sends every series' point of each tick once the wall clock reaches it: the back-fill at once, then live. */
  static void produce(DetectorOptions o, long t0, AtomicLong end, Map<String, Long> spikeWindows) {
    Properties props = new Properties();
    props.put("bootstrap.servers", o.kafka.get("bootstrap.servers"));
    props.put("linger.ms", "5");
    AvroSerializer<MetricPoint> values = new AvroSerializer<>();
    values.configure(o.registry, false);
    Random random = new Random(42);
    try (KafkaProducer<String, MetricPoint> producer = new KafkaProducer<>(props, new StringSerializer(),
        values)) {
      for (long t = t0; t < end.get(); t += STEP_MS) {
        long wait = t - System.currentTimeMillis();
        if (wait > 0) {
          producer.flush();
          Thread.sleep(wait); // pacing: live points are sent when the wall clock reaches their time, not a wait
        }
        long window = t - t % WINDOW_MS;
        double seconds = (t - t0) / 1000.0;
        for (int e = 0; e < ENTITIES; e++) {
          String entity = entity(e);
          double phase = e * 0.1;
          double cpu = 50 + 10 * Math.sin(2 * Math.PI * seconds / 60 + phase) + random.nextGaussian();
          double latency = 200 + 20 * Math.sin(2 * Math.PI * seconds / 60 + phase + 1)
              + 2 * random.nextGaussian();
          Long cpuSpike = spikeWindows.get(entity + "/cpu");
          Long latencySpike = spikeWindows.get(entity + "/latency");
          cpu += cpuSpike != null && cpuSpike == window ? 40 : 0;
          latency += latencySpike != null && latencySpike == window ? 80 : 0;
          producer.send(new ProducerRecord<>(o.metricsTopic, entity, point(entity, "cpu", t, cpu)));
          producer.send(new ProducerRecord<>(o.metricsTopic, entity, point(entity, "latency", t, latency)));
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static MetricPoint point(String entity, String metric, long t, double value) {
    return MetricPoint.newBuilder().setEntityId(entity).setMetric(metric).setValue(value)
        .setEventTime(Instant.ofEpochMilli(t)).setTags(Map.of("service", "bench")).build();
  }

  static void consume(DetectorOptions o, List<Received> out, AtomicBoolean stop) {
    Properties props = new Properties();
    props.put("bootstrap.servers", o.kafka.get("bootstrap.servers"));
    props.put("group.id", o.groupId + "-reader");
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    props.put("fetch.max.wait.ms", "20");
    AvroDeserializer<AnomalyEvent> values = AvroDeserializer.specific(AnomalyEvent.class);
    values.configure(new HashMap<>(o.registry), false);
    try (KafkaConsumer<String, AnomalyEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        values)) {
      consumer.subscribe(List.of(o.anomaliesTopic));
      while (!stop.get()) {
        for (ConsumerRecord<String, AnomalyEvent> r : consumer.poll(Duration.ofMillis(50))) {
          long at = System.currentTimeMillis();
          AnomalyEvent a = r.value();
          out.add(new Received(a.getEntityId(), a.getMetric(), a.getWindowEnd().toEpochMilli(),
              a.getDetectedAt().toEpochMilli(), at));
        }
      }
    }
  }

  record Received(String entity, String metric, long windowEnd, long detectedAt, long receivedAt) {}

  static final class Result {
    Stats fromEnd;
    Stats fromClose;
    Stats detect;
    int spikesSeen;
    int entityLevel;

    @Override
    public String toString() {
      return String.format("anomalies %d (entity-level %d), spikes seen %d; from window end %s; from window close "
          + "%s; detect (detectedAt - end) %s", fromEnd.n, entityLevel, spikesSeen, fromEnd, fromClose, detect);
    }
  }

  /** Nearest-rank percentiles, in ms. */
  record Stats(int n, long p50, long p95, long p99, long max) {
    static Stats of(List<Long> values) {
      List<Long> sorted = new ArrayList<>(values);
      sorted.sort(Comparator.naturalOrder());
      if (sorted.isEmpty()) {
        return new Stats(0, -1, -1, -1, -1);
      }
      return new Stats(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
          sorted.get(sorted.size() - 1));
    }

    static long rank(List<Long> sorted, double q) {
      int i = (int) Math.ceil(q * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    @Override
    public String toString() {
      return String.format("p50 %d p95 %d p99 %d max %d ms", p50, p95, p99, max);
    }
  }

  static long med(List<Result> rs, java.util.function.ToLongFunction<Result> f) {
    List<Long> v = new ArrayList<>(rs.stream().map(f::applyAsLong).toList());
    Collections.sort(v);
    return v.get(v.size() / 2);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private AnomalyLatencyBench() {}
}
