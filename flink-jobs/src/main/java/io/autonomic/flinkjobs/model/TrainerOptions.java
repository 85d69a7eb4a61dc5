package io.autonomic.flinkjobs.model;

import static io.autonomic.config.ConfigOption.bool;
import static io.autonomic.config.ConfigOption.duration;
import static io.autonomic.config.ConfigOption.integer;
import static io.autonomic.config.ConfigOption.string;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigException;
import io.autonomic.config.ConfigOption;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every option of the trainer ({@code ./autonomic train}), declared once, and the resolved values. Set them in the
 * YAML file under {@code train:}, as {@code AUTONOMIC_TRAIN_...} environment variables, or with
 * {@code --set train.key=value}. The windows are the detector's: {@code detector.window.size} and
 * {@code detector.watermark.out-of-orderness} are read from the same file, so train and serve window alike.
 */
public final class TrainerOptions {
  public static final ConfigOption<String> STORE = string("train.store", ".autonomic/models",
      "Model store directory: <store>/<kind>/<model key>/v<version>.zip and .json.");
  public static final ConfigOption<Integer> KEEP_VERSIONS = integer("train.keep.versions", 5,
      "Versions kept per model key in the store; older ones are deleted after each new version.");
  public static final ConfigOption<String> KIND = string("train.kind", "all",
      "Models to train: lstm (one LSTM autoencoder per series), dense (one dense autoencoder per entity) or all.");
  public static final ConfigOption<String> FEATURES = string("train.features", "mean,std,min,max",
      "Window features the models read, in order (of count, mean, std, min, max, last, rate, p50, p95, p99).");
  public static final ConfigOption<Integer> MIN_WINDOWS = integer("train.min.windows", 64,
      "Warm-up: a series (or entity) with fewer windows gets no model yet.");
  public static final ConfigOption<Integer> MAX_WINDOWS = integer("train.max.windows", 5000,
      "Train on at most this many of the newest windows of a series; also the history kept per series by --watch.");
  public static final ConfigOption<Integer> SEQUENCE_LENGTH = integer("train.sequence.length", 16,
      "N: windows per LSTM input sequence (calibration sequence.length).");
  public static final ConfigOption<Integer> UNITS = integer("train.lstm.units", 16,
      "Width of the LSTM encoder and decoder (the size of the code a sequence is squeezed through).");
  public static final ConfigOption<Integer> EPOCHS = integer("train.epochs", 15,
      "Maximum passes over the training inputs.");
  public static final ConfigOption<Integer> BATCH_SIZE = integer("train.batch.size", 128,
      "Mini-batch size of Adam.");
  public static final ConfigOption<String> LEARNING_RATE = string("train.learning.rate", "0.01",
      "Adam learning rate.");
  public static final ConfigOption<Integer> PATIENCE = integer("train.patience", 3,
      "Early stop after this many epochs without a better loss on the held-out tail.");
  public static final ConfigOption<String> HOLDOUT = string("train.holdout", "0.1",
      "Fraction of the newest inputs held out for early stopping, in [0, 0.5].");
  public static final ConfigOption<Integer> SEED = integer("train.seed", 42,
      "Seed of initialisation and shuffling: the same windows and seed give the same model.");
  public static final ConfigOption<String> METRICS_TOPIC = string("train.topic.metrics", Topics.METRICS.name(),
      "Topic --from-topic and --watch read metric points from.");
  public static final ConfigOption<String> MODELS_TOPIC = string("train.topic.models", Topics.MODELS.name(),
      "Compacted topic new model versions are announced on (with --publish).");
  public static final ConfigOption<String> GROUP_ID = string("train.group.id", "autonomic-trainer",
      "Consumer group of --watch (its committed offsets let a restarted trainer continue).");
  public static final ConfigOption<Boolean> PUBLISH = bool("train.publish", false,
      "Announce every stored version on the models topic (same as --publish).");
  public static final ConfigOption<Duration> RETRAIN_EVERY = duration("train.retrain.every", Duration.ofDays(1),
      "--watch retrains a model older than this on the newest windows; 0 disables scheduled retraining.");
  public static final ConfigOption<Integer> DRIFT_ERRORS = integer("train.drift.errors", 32,
      "--watch retrains when the median raw error of the last this-many windows exceeds the model's error.p99.");

  public static final List<ConfigOption<?>> ALL = List.of(STORE, KEEP_VERSIONS, KIND, FEATURES, MIN_WINDOWS,
      MAX_WINDOWS, SEQUENCE_LENGTH, UNITS, EPOCHS, BATCH_SIZE, LEARNING_RATE, PATIENCE, HOLDOUT, SEED,
      METRICS_TOPIC, MODELS_TOPIC, GROUP_ID, PUBLISH, RETRAIN_EVERY, DRIFT_ERRORS);

  public String store = STORE.defaultValue();
  public int keepVersions = KEEP_VERSIONS.defaultValue();
  public String kind = KIND.defaultValue();
  public List<String> features = split(FEATURES.defaultValue());
  public int minWindows = MIN_WINDOWS.defaultValue();
  public int maxWindows = MAX_WINDOWS.defaultValue();
  public int sequenceLength = SEQUENCE_LENGTH.defaultValue();
  public int units = UNITS.defaultValue();
  public int epochs = EPOCHS.defaultValue();
  public int batchSize = BATCH_SIZE.defaultValue();
  public double learningRate = Double.parseDouble(LEARNING_RATE.defaultValue());
  public int patience = PATIENCE.defaultValue();
  public double holdout = Double.parseDouble(HOLDOUT.defaultValue());
  public int seed = SEED.defaultValue();
  public String metricsTopic = METRICS_TOPIC.defaultValue();
  public String modelsTopic = MODELS_TOPIC.defaultValue();
  public String groupId = GROUP_ID.defaultValue();
  public boolean publish = PUBLISH.defaultValue();
  public Duration retrainEvery = RETRAIN_EVERY.defaultValue();
  public int driftErrors = DRIFT_ERRORS.defaultValue();
  /** The detector's window size and out-of-orderness. */
  public Duration windowSize = DetectorOptions.WINDOW_SIZE.defaultValue();
  public Duration outOfOrderness = DetectorOptions.OUT_OF_ORDERNESS.defaultValue();
  /** Kafka client properties (shared kafka.* section, security included). */
  public Map<String, Object> kafka = Map.of();
  /** Registry serde properties (shared registry.* section). */
  public Map<String, Object> registry = Map.of();

  public TrainerOptions() {}

  /** Every option the trainer reads: its own, the shared client ones and the detector's window. */
  public static List<ConfigOption<?>> declared() {
    List<ConfigOption<?>> all = new ArrayList<>(ClientOptions.ALL);
    all.add(DetectorOptions.WINDOW_SIZE);
    all.add(DetectorOptions.OUT_OF_ORDERNESS);
    all.addAll(ALL);
    return all;
  }

  /** Reads and checks every option; unknown {@code train.*} keys are rejected with the closest known key. */
  public static TrainerOptions from(Config config) {
    Set<String> otherSections = new TreeSet<>();
    for (String key : config.keys()) {
      String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
      if (!section.equals("train")) {
        otherSections.add(section);
      }
    }
    config.validate(declared(), otherSections);
    TrainerOptions o = new TrainerOptions();
    o.store = config.get(STORE);
    o.keepVersions = config.get(KEEP_VERSIONS);
    o.kind = config.get(KIND);
    o.features = split(config.get(FEATURES));
    o.minWindows = config.get(MIN_WINDOWS);
    o.maxWindows = config.get(MAX_WINDOWS);
    o.sequenceLength = config.get(SEQUENCE_LENGTH);
    o.units = config.get(UNITS);
    o.epochs = config.get(EPOCHS);
    o.batchSize = config.get(BATCH_SIZE);
    o.learningRate = number(config.get(LEARNING_RATE));
    o.patience = config.get(PATIENCE);
    o.holdout = number(config.get(HOLDOUT));
    o.seed = config.get(SEED);
    o.metricsTopic = config.get(METRICS_TOPIC);
    o.modelsTopic = config.get(MODELS_TOPIC);
    o.groupId = config.get(GROUP_ID);
    o.publish = config.get(PUBLISH);
    o.retrainEvery = config.get(RETRAIN_EVERY);
    o.driftErrors = config.get(DRIFT_ERRORS);
    o.windowSize = config.get(DetectorOptions.WINDOW_SIZE);
    o.outOfOrderness = config.get(DetectorOptions.OUT_OF_ORDERNESS);
    o.kafka = ClientOptions.kafkaProperties(config);
    o.registry = ClientOptions.registryProperties(config);
    List<String> problems = o.problems();
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
    return o;
  }

  /** What is wrong with these values, one line per problem naming the key; empty when they are usable. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    try {
      ModelKind.select(kind);
    } catch (IllegalArgumentException e) {
      p.add(KIND.key() + ": " + e.getMessage());
    }
    try {
      if (features.isEmpty()) {
        p.add(FEATURES.key() + ": must list at least one feature");
      }
      WindowHistory.indexes(features);
    } catch (IllegalArgumentException e) {
      p.add(FEATURES.key() + ": " + e.getMessage());
    }
    if (sequenceLength < 2) {
      p.add(SEQUENCE_LENGTH.key() + ": must be at least 2");
    }
    if (minWindows < sequenceLength + 4) {
      p.add(MIN_WINDOWS.key() + ": must be at least train.sequence.length + 4 (" + (sequenceLength + 4) + ")");
    }
    if (maxWindows < minWindows) {
      p.add(MAX_WINDOWS.key() + ": must be at least train.min.windows");
    }
    if (units < 1 || epochs < 1 || batchSize < 1 || patience < 1 || keepVersions < 1 || driftErrors < 1) {
      p.add("train.lstm.units, epochs, batch.size, patience, keep.versions and drift.errors: must be at least 1");
    }
    if (!(learningRate > 0 && learningRate < 1)) {
      p.add(LEARNING_RATE.key() + ": must be a number in (0, 1)");
    }
    if (!(holdout >= 0 && holdout <= 0.5)) {
      p.add(HOLDOUT.key() + ": must be a number in [0, 0.5]");
    }
    if (windowSize.isZero() || windowSize.isNegative()) {
      p.add(DetectorOptions.WINDOW_SIZE.key() + ": must be positive");
    }
    if (retrainEvery.isNegative()) {
      p.add(RETRAIN_EVERY.key() + ": must not be negative");
    }
    return p;
  }

  /** The trainer's settings. */
  public ModelTrainer.Settings settings() {
    return new ModelTrainer.Settings(sequenceLength, units, epochs, batchSize, learningRate, patience, holdout,
        maxWindows, seed);
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static List<String> split(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
  }
}
