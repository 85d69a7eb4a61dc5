package io.autonomic.flinkjobs.detector;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import io.autonomic.flinkjobs.detector.anomaly.ScorerFactory;
import io.autonomic.flinkjobs.detector.kafka.AvroRecordSerializer;
import io.autonomic.flinkjobs.detector.kafka.Decoded;
import io.autonomic.flinkjobs.detector.kafka.MetricPointDeserializer;
import io.autonomic.flinkjobs.detector.kafka.ModelUpdateDeserializer;
import io.autonomic.flinkjobs.detector.kafka.SplitDecoded;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector job's ends: the Kafka source of telemetry.metrics (registry Avro, malformed records to the DLQ),
 * the exactly-once Kafka sinks of anomalies and dead letters, checkpointing. {@link #main} is the entry point of
 * the job jar ({@code flink run autonomic-flink-jobs-job.jar --config detector.yaml}).
 */
public final class DetectorMain {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorMain.class);
  /** Flink's limit for the exactly-once sink is the broker's transaction.max.timeout.ms (15 min by default). */
  static final String TRANSACTION_TIMEOUT_MS = "600000";
  /** Default {@code max.partition.fetch.bytes} of the metrics consumer (Kafka's is 1 MiB). */
  static final int METRICS_FETCH_BYTES_PER_PARTITION = 16 << 20;
  /** Default {@code max.poll.records} of the metrics consumer (Kafka's is 500). */
  static final int METRICS_MAX_POLL_RECORDS = 5000;
  public static final String JOB_NAME = "autonomic-detector";

  private DetectorMain() {}

  /** {@code [--config FILE] [--set key=value]...}: runs the job in the environment Flink gives it. */
  public static void main(String[] args) throws Exception {
    Path file = null;
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "-c" -> file = Paths.get(args[++i]);
        case "--set" -> sets.add(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: [--config FILE] [--set key=value]...");
      }
    }
    Config config = ConfigLoader.load(file, sets);
    DetectorOptions o = DetectorOptions.from(config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(o));
    pipeline(env, o, DetectorJob.defaultScorers(o), Clock.systemUTC());
    env.execute(JOB_NAME);
  }

  /** Checkpointing and state settings of the job, from the options. */
  public static Configuration flinkConfiguration(DetectorOptions o) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    if (o.checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, o.checkpointDir);
      conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
          ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }
    return conf;
  }

  /** {@link #flinkConfiguration} that resumes from {@code checkpoint} (a {@code chk-N} directory). */
  public static Configuration resumingFrom(DetectorOptions o, Path checkpoint) {
    Configuration conf = flinkConfiguration(o);
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
    return conf;
  }

  /** The newest completed, retained checkpoint ({@code <dir>/<job id>/chk-N} with a {@code _metadata}). */
  public static Optional<Path> latestCheckpoint(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(dir)) {
      return jobs.filter(Files::isDirectory).flatMap(job -> {
        try (Stream<Path> chks = Files.list(job)) {
          return chks.filter(c -> c.getFileName().toString().startsWith("chk-"))
              .filter(c -> Files.exists(c.resolve("_metadata"))).toList().stream();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).max(Comparator.comparingLong(c -> {
        try {
          return Files.getLastModifiedTime(c.resolve("_metadata")).toMillis();
        } catch (IOException e) {
          return 0L;
        }
      }));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds source, pipeline and sinks to {@code env}; {@code env.execute} runs them. */
  public static DetectorJob.Result pipeline(StreamExecutionEnvironment env, DetectorOptions o, ScorerFactory scorers,
      Clock clock) {
    env.setParallelism(o.parallelism);
    env.enableCheckpointing(o.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    LOG.info("detector reads {} writes {} and {}; kafka {}", o.metricsTopic, o.anomaliesTopic, o.dlqTopic,
        ClientOptions.redacted(o.kafka));

    WatermarkStrategy<Decoded> watermarks = WatermarkStrategy.<Decoded>forBoundedOutOfOrderness(o.outOfOrderness)
        .withTimestampAssigner((d, ts) -> d.eventTime())
        .withIdleness(o.idleness);
    SingleOutputStreamOperator<MetricPoint> points = env
        .fromSource(source(o, clock), watermarks, "metrics-source").uid("metrics-source")
        .process(new SplitDecoded()).name("split-malformed").uid("split-malformed");

    DataStream<ModelUpdate> models = null;
    if (o.modelEnabled) {
      models = env.fromSource(modelsSource(o), WatermarkStrategy.noWatermarks(), "models-source")
          .uid("models-source").setParallelism(1);
    }
    DetectorJob.Result r = DetectorJob.build(points, models, o, scorers, clock);

    r.anomalies().sinkTo(sink(o, o.anomaliesTopic, "anomalies",
            new AvroRecordSerializer<AnomalyEvent>(o.anomaliesTopic, AnomalyEvent::getEntityId, o.registry)))
        .name("anomalies-sink").uid("anomalies-sink");
    DataStream<DeadLetter> dead = points.getSideOutput(SplitDecoded.MALFORMED).union(r.late());
    dead.sinkTo(sink(o, o.dlqTopic, "dlq",
            new AvroRecordSerializer<DeadLetter>(o.dlqTopic, DeadLetter::getSourceTopic, o.registry)))
        .name("dlq-sink").uid("dlq-sink");
    return r;
  }

  /** The metrics source: unbounded, from {@code detector.starting.offsets} (committed, earliest or latest). */
  public static KafkaSource<Decoded> source(DetectorOptions o, Clock clock) {
    return sourceBuilder(o, clock).build();
  }

  /** The source builder, for benchmarks and backfills that bound it. */
  public static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<Decoded> sourceBuilder(DetectorOptions o,
      Clock clock) {
    OffsetsInitializer start = switch (o.startingOffsets) {
      case "earliest" -> OffsetsInitializer.earliest();
      case "latest" -> OffsetsInitializer.latest();
      default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    };
    return KafkaSource.<Decoded>builder()
        .setProperties(metricsConsumerProperties(o.kafka))
        .setTopics(o.metricsTopic)
        .setGroupId(o.groupId)
        .setStartingOffsets(start)
        .setDeserializer(new MetricPointDeserializer(o.registry, clock));
  }

  /**
   * The models source: the compacted topic from the earliest offset (so a fresh start sees every current model;
   * the topic is small), read_committed, and subscribed by pattern so a topic that does not exist yet is picked
   * up when it appears instead of failing the job. Offsets and the accepted models are in the checkpoint.
   */
  public static KafkaSource<ModelUpdate> modelsSource(DetectorOptions o) {
    Properties props = properties(o.kafka);
    props.setProperty("isolation.level", "read_committed");
    props.setProperty("partition.discovery.interval.ms", "60000");
    return KafkaSource.<ModelUpdate>builder()
        .setProperties(props)
        .setTopicPattern(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(o.modelsTopic)))
        .setGroupId(o.groupId + "-models")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new ModelUpdateDeserializer(o.registry))
        .build();
  }

  static <T> KafkaSink<T> sink(DetectorOptions o, String topic, String name,
      AvroRecordSerializer<T> serializer) {
    Properties props = properties(o.kafka);
    props.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
    return KafkaSink.<T>builder()
        .setKafkaProducerConfig(props)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(o.transactionalIdPrefix + "-" + name)
        .setRecordSerializer(serializer)
        .build();
  }

  /**
   * Consumer settings for the metrics topic: {@code kafka} plus larger fetches unless set there. With Kafka's
   * defaults (1 MiB per partition per fetch, 500 records per poll) the source thread waited for the next fetch's
   * round trip after every MiB; with these it reads ahead (FeatureExtractionBench, docs/benchmarks.md).
   */
  static Properties metricsConsumerProperties(Map<String, Object> kafka) {
    Properties props = properties(kafka);
    props.putIfAbsent("max.partition.fetch.bytes", String.valueOf(METRICS_FETCH_BYTES_PER_PARTITION));
    props.putIfAbsent("max.poll.records", String.valueOf(METRICS_MAX_POLL_RECORDS));
    return props;
  }

  static Properties properties(Map<String, Object> kafka) {
    Properties props = new Properties();
    kafka.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    return props;
  }
}
