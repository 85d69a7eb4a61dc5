package io.autonomic.flinkjobs.detector;

import static io.autonomic.config.ConfigOption.bool;
import static io.autonomic.config.ConfigOption.duration;
import static io.autonomic.config.ConfigOption.integer;
import static io.autonomic.config.ConfigOption.string;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigException;
import io.autonomic.config.ConfigOption;
import io.autonomic.schemas.Topics;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every option of the detector job, declared once (key, type, default, description), and the resolved values the
 * job's functions carry (this class is serializable and shipped with the job graph).
 *
 * <p>Set them in the YAML file under {@code detector:}, as {@code AUTONOMIC_DETECTOR_...} environment variables,
 * or with {@code --set detector.key=value}.
 */
public final class DetectorOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final ConfigOption<String> METRICS_TOPIC = string("detector.topic.metrics", Topics.METRICS.name(),
      "Topic the detector reads metric points from.");
  public static final ConfigOption<String> ANOMALIES_TOPIC = string("detector.topic.anomalies",
      Topics.ANOMALIES.name(), "Topic the detector writes anomaly events to (exactly-once).");
  public static final ConfigOption<String> DLQ_TOPIC = string("detector.topic.dlq", Topics.DLQ.name(),
      "Topic for malformed and late points.");
  public static final ConfigOption<String> MODELS_TOPIC = string("detector.topic.models", Topics.MODELS.name(),
      "Compacted topic announcing model versions.");
  public static final ConfigOption<String> GROUP_ID = string("detector.group.id", "autonomic-detector",
      "Kafka consumer group id of the source (offsets live in Flink checkpoints; the group only shows lag).");
  public static final ConfigOption<String> STARTING_OFFSETS = string("detector.starting.offsets", "committed",
      "Where to start without a checkpoint: committed (else earliest), earliest or latest.");
  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = string("detector.transactional.id.prefix",
      "autonomic-detector", "Prefix of the exactly-once sink's transactional ids; unique per job on a cluster.");
  public static final ConfigOption<Duration> WINDOW_SIZE = duration("detector.window.size", Duration.ofMinutes(1),
      "Length of the event-time feature windows.");
  public static final ConfigOption<Duration> WINDOW_SLIDE = duration("detector.window.slide", Duration.ZERO,
      "Slide of the windows; 0 (default) means tumbling windows, anything else sliding windows.");
  public static final ConfigOption<Duration> OUT_OF_ORDERNESS = duration("detector.watermark.out-of-orderness",
      Duration.ofSeconds(5), "How far behind the newest point a point may arrive and still be counted.");
  public static final ConfigOption<Duration> IDLENESS = duration("detector.watermark.idleness",
      Duration.ofSeconds(30), "A source partition without points for this long stops holding the watermark back.");
  public static final ConfigOption<Duration> ALLOWED_LATENESS = duration("detector.allowed-lateness",
      Duration.ZERO, "Extra lateness a closed window still accepts (re-fires it); later points are late.");
  public static final ConfigOption<String> THRESHOLD = string("detector.threshold", "0.99",
      "Score in [0,1] at or above which a window is reported as an anomaly.");
  public static final ConfigOption<Integer> WARMUP_WINDOWS = integer("detector.warmup.windows", 10,
      "Windows a series (or entity) is observed before it is scored.");
  public static final ConfigOption<String> SCORER = string("detector.scorer", "combined",
      "Statistical detector per feature: combined, or one component (level, dynamics, seasonal, shift, extreme).");
  public static final ConfigOption<String> SCORED_FEATURES = string("detector.scored.features", "mean,std,min,max",
      "Window features scored per series (of count, mean, std, min, max, last, rate, p50, p95, p99); each costs "
          + "one scorer's state per series.");
  public static final ConfigOption<Duration> STATE_TTL = duration("detector.state.ttl", Duration.ofDays(7),
      "A series or entity silent for this long loses its scoring state.");
  public static final ConfigOption<Boolean> PRE_AGGREGATE = bool("detector.features.pre-aggregate", true,
      "Fold points into partial window features in the source task and ship those to the keyed windows (a few per "
          + "series and watermark instead of every point); false ships every point. Same features either way.");
  public static final ConfigOption<Boolean> ENTITY_SCORING = bool("detector.entity.scoring", true,
      "Also score each entity's joined multivariate vector (entity-level anomalies, metric = null).");
  public static final ConfigOption<Integer> ABSENT_WINDOWS = integer("detector.absent.windows", 0,
      "Report a series that produced at least warmup.windows windows and then none for this many of its own "
          + "periods (the median gap between its recent windows, at least the window period), as an anomaly with "
          + "detector 'absent' and feature <metric>:absent, like Prometheus absent(); 0 turns it off.");
  public static final ConfigOption<Integer> TOP_FEATURES = integer("detector.top.features", 5,
      "How many contributing features an anomaly event lists.");
  public static final ConfigOption<String> MODEL_STORE = string("detector.model.store", ".autonomic/models",
      "Directory of trained model artifacts.");
  public static final ConfigOption<Integer> PARALLELISM = integer("detector.parallelism", 1,
      "Parallelism of the job.");
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = duration("detector.checkpoint.interval",
      Duration.ofSeconds(10), "Interval of exactly-once checkpoints; anomalies become visible to read_committed "
          + "consumers when the checkpoint that covers them completes.");
  public static final ConfigOption<String> CHECKPOINT_DIR = string("detector.checkpoint.dir", null,
      "Durable checkpoint directory (file:// or a cluster filesystem); unset keeps checkpoints in the JobManager.");

  // model scoring (DL4J autoencoders announced on the models topic)
  public static final ConfigOption<Boolean> MODEL_ENABLED = bool("detector.model.enabled", true,
      "Score series with the models announced on detector.topic.models (hot-swapped, no restart); off: "
          + "statistical scoring only.");
  public static final ConfigOption<Integer> MODEL_BATCH_SIZE = integer("detector.model.batch.size", 256,
      "Windows per inference micro-batch (one forward pass per model per batch).");
  public static final ConfigOption<Duration> MODEL_BATCH_MAX_DELAY = duration("detector.model.batch.max-delay",
      Duration.ofMillis(20), "Longest a window waits for its micro-batch to fill before the batch runs anyway.");
  public static final ConfigOption<Integer> MODEL_ASYNC_CAPACITY = integer("detector.model.async.capacity", 1024,
      "Windows in flight in the inference stage per subtask (at least the batch size); when full, the stage "
          + "back-pressures instead of buffering without bound.");
  public static final ConfigOption<Duration> MODEL_ASYNC_TIMEOUT = duration("detector.model.async.timeout",
      Duration.ofSeconds(30), "A window whose inference takes longer keeps its statistical score (counted).");
  public static final ConfigOption<String> MODEL_ENGINE = string("detector.model.engine", "java",
      "What runs the LSTM autoencoders' forward pass: java (plain-Java batched LSTM with the artifact's weights, "
          + "errors equal to DL4J's to 1e-4 relative, 10-18x faster; other networks still run in DL4J) or dl4j.");
  public static final ConfigOption<Integer> MODEL_SEQUENCE_LENGTH = integer("detector.model.sequence.length", 16,
      "Windows of history kept per series for sequence models (grows to a model's own sequence.length).");
  public static final ConfigOption<Boolean> MODEL_ENTITY_ENABLED = bool("detector.model.entity.enabled", true,
      "Also score each entity's window vector with its dense autoencoder (dense-autoencoder/<entity>; needs "
          + "detector.model.enabled and detector.entity.scoring): entity score = max(statistical, model). Uses the "
          + "detector.model.batch.* and async settings.");

  public static final List<ConfigOption<?>> ALL = List.of(METRICS_TOPIC, ANOMALIES_TOPIC, DLQ_TOPIC, MODELS_TOPIC,
      GROUP_ID, STARTING_OFFSETS, TRANSACTIONAL_ID_PREFIX, WINDOW_SIZE, WINDOW_SLIDE, OUT_OF_ORDERNESS, IDLENESS,
      ALLOWED_LATENESS, THRESHOLD, WARMUP_WINDOWS, SCORER, SCORED_FEATURES, STATE_TTL, PRE_AGGREGATE, ENTITY_SCORING, TOP_FEATURES,
      MODEL_STORE, PARALLELISM,
      CHECKPOINT_INTERVAL, CHECKPOINT_DIR,
      MODEL_ENABLED, MODEL_BATCH_SIZE, MODEL_BATCH_MAX_DELAY, MODEL_ASYNC_CAPACITY, MODEL_ASYNC_TIMEOUT,
      MODEL_SEQUENCE_LENGTH, MODEL_ENGINE, MODEL_ENTITY_ENABLED, ABSENT_WINDOWS);

  /** Every option the detector reads, including the shared kafka and registry ones. */
  public static List<ConfigOption<?>> declared() {
    List<ConfigOption<?>> all = new ArrayList<>(ClientOptions.ALL);
    all.addAll(ALL);
    return all;
  }

  public String metricsTopic = METRICS_TOPIC.defaultValue();
  public String anomaliesTopic = ANOMALIES_TOPIC.defaultValue();
  public String dlqTopic = DLQ_TOPIC.defaultValue();
  public String modelsTopic = MODELS_TOPIC.defaultValue();
  public String groupId = GROUP_ID.defaultValue();
  public String startingOffsets = STARTING_OFFSETS.defaultValue();
  public String transactionalIdPrefix = TRANSACTIONAL_ID_PREFIX.defaultValue();
  public Duration windowSize = WINDOW_SIZE.defaultValue();
  public Duration windowSlide = WINDOW_SLIDE.defaultValue();
  public Duration outOfOrderness = OUT_OF_ORDERNESS.defaultValue();
  public Duration idleness = IDLENESS.defaultValue();
  public Duration allowedLateness = ALLOWED_LATENESS.defaultValue();
  public double threshold = Double.parseDouble(THRESHOLD.defaultValue());
  public int warmupWindows = WARMUP_WINDOWS.defaultValue();
  public String scorer = SCORER.defaultValue();
  public List<String> scoredFeatures = List.of(SCORED_FEATURES.defaultValue().split(","));
  public Duration stateTtl = STATE_TTL.defaultValue();
  public boolean preAggregate = PRE_AGGREGATE.defaultValue();
  public boolean entityScoring = ENTITY_SCORING.defaultValue();
  public int topFeatures = TOP_FEATURES.defaultValue();
  public int absentWindows = ABSENT_WINDOWS.defaultValue();
  public String modelStore = MODEL_STORE.defaultValue();
  public int parallelism = PARALLELISM.defaultValue();
  public Duration checkpointInterval = CHECKPOINT_INTERVAL.defaultValue();
  public String checkpointDir = CHECKPOINT_DIR.defaultValue();
  public boolean modelEnabled = MODEL_ENABLED.defaultValue();
  public int modelBatchSize = MODEL_BATCH_SIZE.defaultValue();
  public Duration modelBatchMaxDelay = MODEL_BATCH_MAX_DELAY.defaultValue();
  public int modelAsyncCapacity = MODEL_ASYNC_CAPACITY.defaultValue();
  public Duration modelAsyncTimeout = MODEL_ASYNC_TIMEOUT.defaultValue();
  public int modelSequenceLength = MODEL_SEQUENCE_LENGTH.defaultValue();
  public String modelEngine = MODEL_ENGINE.defaultValue();
  public boolean modelEntityEnabled = MODEL_ENTITY_ENABLED.defaultValue();
  /** Kafka client properties (from the shared kafka.* section); not part of the job's functions. */
  public transient Map<String, Object> kafka = Map.of();
  /** Registry serde properties (from the shared registry.* section). */
  public Map<String, Object> registry = Map.of();

  /** The defaults. */
  public DetectorOptions() {}

  /** Reads and checks every option; unknown {@code detector.*} keys are rejected with the closest known key. */
  public static DetectorOptions from(Config config) {
    // one file serves every app: only the detector's own section is checked here, other sections pass through
    java.util.Set<String> otherSections = new java.util.TreeSet<>();
    for (String key : config.keys()) {
      String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
      if (!section.equals("detector")) {
        otherSections.add(section);
      }
    }
    config.validate(declared(), otherSections);
    DetectorOptions o = new DetectorOptions();
    o.metricsTopic = config.get(METRICS_TOPIC);
    o.anomaliesTopic = config.get(ANOMALIES_TOPIC);
    o.dlqTopic = config.get(DLQ_TOPIC);
    o.modelsTopic = config.get(MODELS_TOPIC);
    o.groupId = config.get(GROUP_ID);
    o.startingOffsets = config.get(STARTING_OFFSETS);
    o.transactionalIdPrefix = config.get(TRANSACTIONAL_ID_PREFIX);
    o.windowSize = config.get(WINDOW_SIZE);
    o.windowSlide = config.get(WINDOW_SLIDE);
    o.outOfOrderness = config.get(OUT_OF_ORDERNESS);
    o.idleness = config.get(IDLENESS);
    o.allowedLateness = config.get(ALLOWED_LATENESS);
    String threshold = config.get(THRESHOLD);
    try {
      o.threshold = Double.parseDouble(threshold.trim());
    } catch (NumberFormatException e) {
      o.threshold = Double.NaN;
    }
    o.warmupWindows = config.get(WARMUP_WINDOWS);
    o.scorer = config.get(SCORER);
    o.scoredFeatures = java.util.Arrays.stream(config.get(SCORED_FEATURES).split(",")).map(String::trim)
        .filter(f -> !f.isEmpty()).toList();
    o.stateTtl = config.get(STATE_TTL);
    o.preAggregate = config.get(PRE_AGGREGATE);
    o.entityScoring = config.get(ENTITY_SCORING);
    o.topFeatures = config.get(TOP_FEATURES);
    o.absentWindows = config.get(ABSENT_WINDOWS);
    o.modelStore = config.get(MODEL_STORE);
    o.parallelism = config.get(PARALLELISM);
    o.checkpointInterval = config.get(CHECKPOINT_INTERVAL);
    o.checkpointDir = config.get(CHECKPOINT_DIR);
    o.modelEnabled = config.get(MODEL_ENABLED);
    o.modelBatchSize = config.get(MODEL_BATCH_SIZE);
    o.modelBatchMaxDelay = config.get(MODEL_BATCH_MAX_DELAY);
    o.modelAsyncCapacity = config.get(MODEL_ASYNC_CAPACITY);
    o.modelAsyncTimeout = config.get(MODEL_ASYNC_TIMEOUT);
    o.modelSequenceLength = config.get(MODEL_SEQUENCE_LENGTH);
    o.modelEngine = config.get(MODEL_ENGINE).trim().toLowerCase(java.util.Locale.ROOT);
    o.modelEntityEnabled = config.get(MODEL_ENTITY_ENABLED);
    o.kafka = ClientOptions.kafkaProperties(config);
    o.registry = ClientOptions.registryProperties(config);
    List<String> problems = o.problems();
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems.stream()
          .map(p -> p + " (" + originFor(config, p) + ")").toList()));
    }
    return o;
  }

  private static String originFor(Config config, String problem) {
    return ALL.stream().filter(opt -> problem.startsWith(opt.key())).findFirst()
        .map(config::originOf).orElse("default");
  }

  /** What is wrong with these values, one line per problem naming the key; empty when they are usable. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!(threshold >= 0 && threshold <= 1)) {
      problems.add(THRESHOLD.key() + ": must be a number in [0,1]");
    }
    if (windowSize.isZero() || windowSize.isNegative()) {
      problems.add(WINDOW_SIZE.key() + ": must be positive");
    }
    if (windowSlide.isNegative() || windowSlide.compareTo(windowSize) > 0) {
      problems.add(WINDOW_SLIDE.key() + ": must be 0 (tumbling) or in (0, window.size]");
    }
    if (outOfOrderness.isNegative() || idleness.isNegative() || allowedLateness.isNegative()) {
      problems.add(OUT_OF_ORDERNESS.key() + ", idleness and allowed-lateness: must not be negative");
    }
    if (!io.autonomic.flinkjobs.detector.scoring.Scorers.names().contains(scorer)) {
      problems.add(SCORER.key() + ": unknown detector '" + scorer + "'; valid: "
          + String.join(", ", io.autonomic.flinkjobs.detector.scoring.Scorers.names()));
    }
    if (scoredFeatures.isEmpty() || !java.util.Arrays.asList(
        io.autonomic.flinkjobs.detector.features.SeriesFeatures.NAMES).containsAll(scoredFeatures)) {
      problems.add(SCORED_FEATURES.key() + ": must list some of "
          + String.join(", ", io.autonomic.flinkjobs.detector.features.SeriesFeatures.NAMES));
    }
    if (warmupWindows < 1) {
      problems.add(WARMUP_WINDOWS.key() + ": must be at least 1");
    }
    if (absentWindows < 0) {
      problems.add(ABSENT_WINDOWS.key() + ": must be 0 (off) or a number of windows");
    }
    if (parallelism < 1) {
      problems.add(PARALLELISM.key() + ": must be at least 1");
    }
    if (!List.of("committed", "earliest", "latest").contains(startingOffsets)) {
      problems.add(STARTING_OFFSETS.key() + ": must be committed, earliest or latest");
    }
    problems.addAll(modelProblems());
    return problems;
  }

  private List<String> modelProblems() {
    List<String> problems = new ArrayList<>();
    if (modelBatchSize < 1) {
      problems.add(MODEL_BATCH_SIZE.key() + ": must be at least 1");
    }
    if (modelAsyncCapacity < modelBatchSize) {
      problems.add(MODEL_ASYNC_CAPACITY.key() + ": must be at least " + MODEL_BATCH_SIZE.key()
          + " (a smaller capacity never fills a batch)");
    }
    if (modelBatchMaxDelay.isNegative() || modelAsyncTimeout.isZero() || modelAsyncTimeout.isNegative()) {
      problems.add(MODEL_BATCH_MAX_DELAY.key() + " must not be negative, " + MODEL_ASYNC_TIMEOUT.key()
          + " must be positive");
    }
    if (modelSequenceLength < 1) {
      problems.add(MODEL_SEQUENCE_LENGTH.key() + ": must be at least 1");
    }
    try {
      io.autonomic.flinkjobs.detector.inference.InferenceEngine.of(modelEngine);
    } catch (IllegalArgumentException e) {
      problems.add(MODEL_ENGINE.key() + ": " + e.getMessage());
    }
    return problems;
  }

  /** Whether the windows slide (overlap) rather than tumble. */
  public boolean sliding() {
    return !windowSlide.isZero() && !windowSlide.equals(windowSize);
  }
}
