package io.autonomic.flinkjobs.model;

import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.eval.Eval;
import io.autonomic.flinkjobs.eval.NabCsv;
import io.autonomic.registry.AvroDeserializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer: builds the detector's windows from CSVs or the metrics topic, trains a model per series (LSTM) and
 * per entity (dense) once it has its warm-up windows, stores each version and, with {@code publish}, announces it.
 * {@link #watch} keeps consuming and trains new series after warm-up, and retrains on drift or on schedule, in a
 * background thread so consumption never waits for training. The object graph is built here and only here.
 */
public final class TrainerApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerApp.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final TrainerOptions options;
  private final ModelStore store;
  private final ModelTrainer trainer;
  private final ModelPublisher publisher;
  private final Clock clock;

  /** What one run did. */
  public record Result(List<StoredModel> trained, List<String> skipped, long points, long badRecords) {}

  public TrainerApp(TrainerOptions options, ModelPublisher publisher, Clock clock) {
    this.options = options;
    this.store = new ModelStore(Path.of(options.store), options.keepVersions);
    this.trainer = new ModelTrainer(options.settings());
    this.publisher = publisher;
    this.clock = clock;
  }

  /** The app as configured: with a publisher when {@code options.publish}. */
  public static TrainerApp create(TrainerOptions options, Clock clock) {
    ModelPublisher p = options.publish
        ? new ModelPublisher(options.kafka, options.registry, options.modelsTopic) : null;
    return new TrainerApp(options, p, clock);
  }

  public ModelStore store() {
    return store;
  }

  /** Trains from every {@code timestamp,value} CSV under {@code dir}: entity = relative path, metric "value". */
  public Result trainFromCsv(Path dir) throws IOException {
    WindowAggregator windows = new WindowAggregator(options.windowSize.toMillis(), Long.MAX_VALUE / 4);
    for (String rel : Eval.dataFiles(dir)) {
      for (NabCsv.Row r : NabCsv.read(dir.resolve(rel))) {
        if (r.usable()) {
          windows.add(rel, "value", Map.of(), r.timestampMillis(), r.value());
        }
      }
    }
    WindowHistory history = new WindowHistory(options.maxWindows);
    history.addAll(windows.flush());
    return trainAll(history, windows.points(), 0);
  }

  /**
   * Reads the metrics topic from the beginning to its end at the start of the call, keeps the points whose event
   * time is in {@code [from, to)} (either may be null), and trains on their windows.
   */
  public Result trainFromTopic(Instant from, Instant to) {
    WindowAggregator windows = new WindowAggregator(options.windowSize.toMillis(), options.outOfOrderness.toMillis());
    WindowHistory history = new WindowHistory(options.maxWindows);
    long bad = 0;
    try (KafkaConsumer<String, byte[]> consumer = consumer(null);
        AvroDeserializer<MetricPoint> values = deserializer()) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      if (from != null) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, from.toEpochMilli()));
        // record timestamps are producer time, usually at or after the event time: start there, filter below
        consumer.offsetsForTimes(times).forEach((tp, ot) -> {
          if (ot == null) {
            consumer.seekToEnd(List.of(tp));
          } else {
            consumer.seek(tp, ot.offset());
          }
        });
      } else {
        consumer.seekToBeginning(partitions);
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (!reached(consumer, end)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          MetricPoint p = decode(values, r);
          if (p == null) {
            bad++;
            continue;
          }
          long t = p.getEventTime().toEpochMilli();
          if ((from == null || t >= from.toEpochMilli()) && (to == null || t < to.toEpochMilli())) {
            windows.add(p.getEntityId(), p.getMetric(), p.getTags(), t, p.getValue());
          }
        }
        history.addAll(windows.drain());
      }
      history.addAll(windows.flush());
    }
    if (bad > 0) {
      LOG.warn("skipped {} records of {} that are not MetricPoints (the detector dead-letters them)", bad,
          options.metricsTopic);
    }
    return trainAll(history, windows.points(), bad);
  }

  /** Trains every series and entity with at least {@code minWindows} windows, for the configured kinds. */
  public Result trainAll(WindowHistory history, long points, long bad) {
    List<StoredModel> trained = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (TrainingSet set : sets(history)) {
      if (set.windows() < options.minWindows) {
        skipped.add(set.modelKey() + " (" + set.windows() + " windows < " + options.minWindows + ")");
        continue;
      }
      trained.add(trainAndStore(set));
    }
    if (!skipped.isEmpty()) {
      LOG.info("no model yet (warm-up) for {} keys: {}", skipped.size(), skipped);
    }
    return new Result(trained, skipped, points, bad);
  }

  /** The training sets of every series and entity the configured kinds cover. */
  List<TrainingSet> sets(WindowHistory history) {
    List<TrainingSet> sets = new ArrayList<>();
    List<ModelKind> kinds = ModelKind.select(options.kind);
    for (String entity : history.entities()) {
      if (kinds.contains(ModelKind.LSTM)) {
        for (String metric : history.metrics(entity)) {
          sets.add(history.seriesSet(entity, metric, options.features));
        }
      }
      if (kinds.contains(ModelKind.DENSE)) {
        sets.add(history.entitySet(entity, history.entityFeatures(entity, options.features)));
      }
    }
    return sets;
  }

  /** Trains one model, stores the next version, announces it when publishing, logs one line. */
  public StoredModel trainAndStore(TrainingSet set) {
    return trainAndStore(set, (m, s) -> { });
  }

  /** As {@link #trainAndStore(TrainingSet)}; {@code stored} sees the version before it is announced. */
  StoredModel trainAndStore(TrainingSet set, java.util.function.BiConsumer<TrainedModel, StoredModel> stored) {
    TrainedModel m = trainer.train(set);
    StoredModel s = store.save(m, clock.instant());
    stored.accept(m, s);
    if (publisher != null) {
      publisher.publish(s.update());
    }
    LOG.info(String.format(Locale.ROOT, "trained key=%s version=%d windows=%d samples=%d epochs=%d loss=%.5f "
            + "validationLoss=%.5f ms=%d%s", m.modelKey(), s.version(), m.windows(), m.samples(), m.epochs(),
        m.finalLoss(), m.validationLoss(), m.trainingMillis(), publisher != null ? " published" : ""));
    return s;
  }

  /**
   * Runs until {@code running} turns false: consumes the metrics topic (group {@code train.group.id}, from the
   * earliest offset on first start), keeps each series' recent windows, trains a model for each series or entity
   * that reaches its warm-up, and retrains one when the median of its last {@code train.drift.errors} raw errors
   * exceeds its error.p99 or when it is older than {@code train.retrain.every}. Training runs on one background
   * thread; a key is queued at most once at a time. The newest stored versions are reloaded at start.
   */
  public void watch(AtomicBoolean running) throws InterruptedException {
    WindowAggregator windows = new WindowAggregator(options.windowSize.toMillis(), options.outOfOrderness.toMillis());
    WindowHistory history = new WindowHistory(options.maxWindows);
    Map<String, Watched> models = new ConcurrentHashMap<>();
    Set<String> queued = ConcurrentHashMap.newKeySet();
    for (StoredModel s : store.latest()) {
      try {
        models.put(s.modelKey(), new Watched(ScoringModel.of(s.kind(), ModelStore.load(s.update()),
            s.update().getFeatures(), s.update().getCalibration()), s.update().getCreatedAt(),
            new DriftMonitor(options.driftErrors, s.update().getCalibration().getOrDefault(ScoringModel.ERROR_P99,
                Double.MAX_VALUE))));
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot reload {} v{}: {}; it will be retrained after warm-up", s.modelKey(), s.version(),
            e.getMessage());
      }
    }
    ExecutorService training = Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer"));
    List<ModelKind> kinds = ModelKind.select(options.kind);
    long bad = 0;
    try (KafkaConsumer<String, byte[]> consumer = consumer(options.groupId);
        AvroDeserializer<MetricPoint> values = deserializer()) {
      consumer.subscribe(List.of(options.metricsTopic));
      LOG.info("watching {} (group {}), {} models loaded from {}", options.metricsTopic, options.groupId,
          models.size(), store.root());
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          MetricPoint p = decode(values, r);
          if (p == null) {
            bad++;
            continue;
          }
          windows.add(p.getEntityId(), p.getMetric(), p.getTags(), p.getEventTime().toEpochMilli(), p.getValue());
        }
        List<SeriesFeatures> closed = windows.drain();
        if (closed.isEmpty()) {
          continue;
        }
        history.addAll(closed);
        // how many new windows each series and entity got: each is scored and fed to the drift monitor
        Map<String, Integer> touched = new java.util.LinkedHashMap<>();
        Set<String> entityWindows = new java.util.HashSet<>();
        for (SeriesFeatures f : closed) {
          if (kinds.contains(ModelKind.LSTM)) {
            touched.merge("S" + f.entityId + '\u001f' + f.metric, 1, Integer::sum);
          }
          if (kinds.contains(ModelKind.DENSE) && entityWindows.add(f.entityId + '\u001f' + f.windowStart)) {
            touched.merge("E" + f.entityId, 1, Integer::sum);
          }
        }
        for (Map.Entry<String, Integer> entry : touched.entrySet()) {
          String t = entry.getKey();
          TrainingSet current;
          Watched w;
          if (t.charAt(0) == 'S') {
            String[] em = t.substring(1).split("\u001f", 2);
            w = models.get(ModelKind.seriesKey(em[0], em[1]));
            current = history.seriesSet(em[0], em[1],
                w == null ? options.features : List.of(w.model.scaling().features()));
          } else {
            String entity = t.substring(1);
            w = models.get(ModelKind.entityKey(entity));
            current = history.entitySet(entity, w == null ? history.entityFeatures(entity, options.features)
                : List.of(w.model.scaling().features()));
          }
          String reason = null;
          if (w == null) {
            if (current.windows() >= options.minWindows) {
              reason = "warm-up complete";
            }
          } else {
            for (double error : w.model.lastErrors(current.rows(), entry.getValue())) {
              w.drift.add(error);
            }
            if (w.drift.drifted()) {
              reason = String.format(Locale.ROOT, "drift (median error %.4f > p99 %.4f)", w.drift.median(),
                  w.model.calibration().get(ScoringModel.ERROR_P99));
            } else if (!options.retrainEvery.isZero()
                && Duration.between(w.createdAt, clock.instant()).compareTo(options.retrainEvery) > 0) {
              reason = "schedule (older than " + options.retrainEvery + ")";
            }
          }
          if (reason != null && queued.add(current.modelKey())) {
            TrainingSet set = t.charAt(0) == 'E'
                ? history.entitySet(t.substring(1), history.entityFeatures(t.substring(1), options.features))
                : current;
            String why = reason;
            LOG.info("training {} on {} windows: {}", set.modelKey(), set.windows(), why);
            training.submit(() -> {
              try {
                // the new model scores (and watches for drift) before it is announced
                trainAndStore(set, (m, s) -> models.put(set.modelKey(), new Watched(m.scoring(),
                    s.update().getCreatedAt(), new DriftMonitor(options.driftErrors,
                        m.calibration().get(ScoringModel.ERROR_P99)))));
              } catch (Exception e) {
                LOG.warn("training {} failed: {}", set.modelKey(), e.getMessage());
              } finally {
                queued.remove(set.modelKey());
              }
            });
          }
        }
      }
    } finally {
      training.shutdown();
      if (!training.awaitTermination(5, TimeUnit.MINUTES)) {
        training.shutdownNow();
      }
      if (bad > 0) {
        LOG.warn("skipped {} records of {} that are not MetricPoints", bad, options.metricsTopic);
      }
    }
  }

  /** A model --watch scores new windows with: when it was created and its drift monitor. */
  private record Watched(ScoringModel model, Instant createdAt, DriftMonitor drift) {}

  private KafkaConsumer<String, byte[]> consumer(String groupId) {
    Map<String, Object> props = new HashMap<>(options.kafka);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "autonomic-trainer");
    if (groupId != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    } else {
      props.remove(ConsumerConfig.GROUP_ID_CONFIG);
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }
    return new KafkaConsumer<>(props);
  }

  private AvroDeserializer<MetricPoint> deserializer() {
    AvroDeserializer<MetricPoint> d = AvroDeserializer.specific(MetricPoint.class);
    d.configure(new HashMap<>(options.registry), false);
    return d;
  }

  private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
    List<PartitionInfo> infos = consumer.partitionsFor(options.metricsTopic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + options.metricsTopic + " does not exist");
    }
    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static MetricPoint decode(AvroDeserializer<MetricPoint> values, ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return null;
    }
    try {
      MetricPoint p = values.deserialize(r.topic(), r.value());
      if (p == null || p.getEntityId().isEmpty() || p.getMetric().isEmpty() || !Double.isFinite(p.getValue())) {
        return null;
      }
      return p;
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (publisher != null) {
      publisher.close();
    }
  }
}
