package io.autonomic.flinkjobs.detector;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.anomaly.ScorerFactory;
import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import io.autonomic.flinkjobs.detector.features.PartialFeaturesOperator;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.features.SeriesKeySelector;
import io.autonomic.flinkjobs.detector.functions.AbsentSeriesFunction;
import io.autonomic.flinkjobs.detector.functions.EmitSeriesFeatures;
import io.autonomic.flinkjobs.detector.functions.EntityAnomalies;
import io.autonomic.flinkjobs.detector.functions.EntityVectorFunction;
import io.autonomic.flinkjobs.detector.functions.LatePoints;
import io.autonomic.flinkjobs.detector.functions.ScoreSeriesFunction;
import io.autonomic.flinkjobs.detector.functions.SeriesAnomalies;
import io.autonomic.flinkjobs.detector.functions.SeriesFeatureAggregate;
import io.autonomic.flinkjobs.detector.scoring.Scorers;
import java.time.Clock;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;

/**
 * The detector pipeline: event-time windows per series → features → per-series scores → per-entity vectors and
 * scores → anomaly events. {@link #build} takes and returns streams so tests run it on finite input;
 * {@link DetectorMain} adds the Kafka source and the exactly-once sinks.
 */
public final class DetectorJob {
  /** Points that arrived after their window closed. */
  public static final OutputTag<MetricPoint> LATE = new OutputTag<>("late-points") {};
  /** Pre-aggregated points that reached the windows after they closed (an idle input that came back behind). */
  public static final OutputTag<FeatureAccumulator> LATE_PARTIALS = new OutputTag<>("late-partials") {};

  private DetectorJob() {}

  /**
   * What the pipeline produces.
   *
   * @param anomalies series- and entity-level anomaly events
   * @param late      late points as dead letters (reason {@value LatePoints#REASON}), already counted
   * @param features  every series window with its score (for backtests and benchmarks)
   * @param vectors   every entity window (empty stream when entity scoring is off)
   * @param modelStatus one line per model update (accepted, stale, refused); empty without model scoring
   */
  public record Result(DataStream<AnomalyEvent> anomalies, DataStream<DeadLetter> late,
      DataStream<SeriesFeatures> features, DataStream<EntityVector> vectors, DataStream<String> modelStatus) {}

  /**
   * Event time from the point, bounded out-of-orderness, and idleness so a quiet partition does not hold every
   * window open. The Kafka source applies it per partition; finite test input applies it with
   * {@code assignTimestampsAndWatermarks}.
   */
  public static WatermarkStrategy<MetricPoint> watermarks(DetectorOptions o) {
    return WatermarkStrategy.<MetricPoint>forBoundedOutOfOrderness(o.outOfOrderness)
        .withTimestampAssigner((p, ts) -> p.getEventTime().toEpochMilli())
        .withIdleness(o.idleness);
  }

  /** The statistical detector of {@code detector.scorer}, one fresh instance per series feature. */
  public static ScorerFactory defaultScorers(DetectorOptions o) {
    String name = o.scorer;
    return () -> Scorers.create(name);
  }

  /** {@link #build(DataStream, DetectorOptions, ScorerFactory, Clock)} with the configured statistical detector. */
  public static Result build(DataStream<MetricPoint> points, DetectorOptions o) {
    return build(points, o, defaultScorers(o), Clock.systemUTC());
  }

  /** Statistical scoring only (no model updates). */
  public static Result build(DataStream<MetricPoint> points, DetectorOptions o, ScorerFactory scorers,
      Clock clock) {
    return build(points, null, o, scorers, clock);
  }

  /**
   * Builds the pipeline on {@code points}, which must carry event timestamps and watermarks ({@link #watermarks}).
   * {@code models} (the models topic in production, any stream in tests; null for none) feeds the model scoring
   * stage when {@code detector.model.enabled}.
   */
  public static Result build(DataStream<MetricPoint> points, DataStream<ModelUpdate> models, DetectorOptions o,
      ScorerFactory scorers, Clock clock) {
    FeatureSteps steps = featureSteps(points, o);
    SingleOutputStreamOperator<SeriesFeatures> features = steps.features();

    DataStream<DeadLetter> late = steps.latePoints()
        .map(LatePoints.points(o.metricsTopic, clock)).name("late-points").uid("late-points");
    if (steps.latePartials() != null) {
      late = late.union(steps.latePartials()
          .map(LatePoints.partials(o.metricsTopic, clock)).name("late-partials").uid("late-partials"));
    }

    SingleOutputStreamOperator<SeriesFeatures> scored = features
        .keyBy(SeriesFeatures::seriesKey)
        .process(new ScoreSeriesFunction(o.scoredFeatures, scorers, o.warmupWindows, o.stateTtl))
        .name("score-series").uid("score-series");

    DataStream<String> modelStatus = scored.filter(f -> false).map(f -> "").name("no-model-status");
    boolean seriesModels = o.modelEnabled && models != null;
    boolean entityModels = seriesModels && o.entityScoring && o.modelEntityEnabled;
    if (seriesModels) {
      // dense updates go to the entity stage when it runs; otherwise the series stage refuses them (logged)
      DataStream<ModelUpdate> seriesUpdates = entityModels
          ? models.filter(u -> !ModelScoringStage.isDense(u)).name("series-models").uid("series-models")
          : models;
      ModelScoringStage.Output m = ModelScoringStage.apply(scored, seriesUpdates, o);
      scored = m.scored();
      modelStatus = m.modelStatus();
    }

    DataStream<AnomalyEvent> anomalies = scored
        .flatMap(new SeriesAnomalies(o.threshold, o.topFeatures, clock))
        .name("series-anomalies").uid("series-anomalies");

    DataStream<EntityVector> vectors;
    if (o.entityScoring) {
      vectors = scored.keyBy(f -> f.entityId)
          .process(new EntityVectorFunction())
          .name("entity-vectors").uid("entity-vectors");
      if (entityModels) {
        ModelScoringStage.EntityOutput e = ModelScoringStage.applyEntity(vectors, models, o);
        modelStatus = modelStatus.union(e.modelStatus());
        anomalies = anomalies.union(e.scored()
            .flatMap(new EntityAnomalies.Scored(o.threshold, o.topFeatures, clock))
            .name("entity-model-anomalies").uid("entity-model-anomalies"));
      } else {
        anomalies = anomalies.union(vectors
            .flatMap(new EntityAnomalies(o.threshold, o.topFeatures, clock))
            .name("entity-anomalies").uid("entity-anomalies"));
      }
    } else {
      vectors = scored.filter(f -> false).map(f -> new EntityVector())
          .returns(TypeInformation.of(EntityVector.class)).name("no-entity-vectors");
    }
    if (o.absentWindows > 0) {
      anomalies = anomalies.union(features.keyBy(SeriesFeatures::seriesKey)
          .process(new AbsentSeriesFunction(o.absentWindows, o.warmupWindows,
              o.sliding() ? o.windowSlide : o.windowSize, o.threshold, o.stateTtl, clock))
          .name("absent-series").uid("absent-series"));
    }
    return new Result(anomalies, late, scored, vectors, modelStatus);
  }

  /**
   * The feature step's streams: the features of every series window, the points that came too late for their
   * windows, and (with pre-aggregation) the late partials; null without it.
   */
  public record FeatureSteps(SingleOutputStreamOperator<SeriesFeatures> features, DataStream<MetricPoint> latePoints,
      DataStream<FeatureAccumulator> latePartials) {}

  /** The feature step alone: per-series event-time windows. */
  public static SingleOutputStreamOperator<SeriesFeatures> features(DataStream<MetricPoint> points,
      DetectorOptions o) {
    return featureSteps(points, o).features();
  }

  /**
   * Per-series event-time windows of {@code points}. With {@code detector.features.pre-aggregate} the source's task
   * folds points into partials first ({@link PartialFeaturesOperator}) and the windows merge those.
   */
  public static FeatureSteps featureSteps(DataStream<MetricPoint> points, DetectorOptions o) {
    if (!o.preAggregate) {
      SingleOutputStreamOperator<SeriesFeatures> features = points
          .keyBy(new SeriesKeySelector())
          .window(windows(o))
          .allowedLateness(o.allowedLateness)
          .sideOutputLateData(LATE)
          .aggregate(SeriesFeatureAggregate.points(), new EmitSeriesFeatures())
          .name("series-features").uid("series-features");
      return new FeatureSteps(features, features.getSideOutput(LATE), null);
    }
    long size = o.windowSize.toMillis();
    SingleOutputStreamOperator<FeatureAccumulator> partials = points
        .transform("series-partials", TypeInformation.of(FeatureAccumulator.class), new PartialFeaturesOperator(size,
            o.sliding() ? o.windowSlide.toMillis() : size, o.allowedLateness.toMillis(), LATE))
        .uid("series-partials");
    SingleOutputStreamOperator<SeriesFeatures> features = partials
        .keyBy(FeatureAccumulator::seriesKey)
        .window(windows(o))
        .allowedLateness(o.allowedLateness)
        .sideOutputLateData(LATE_PARTIALS)
        .aggregate(SeriesFeatureAggregate.partials(), new EmitSeriesFeatures())
        .name("series-features").uid("series-features");
    return new FeatureSteps(features, partials.getSideOutput(LATE), features.getSideOutput(LATE_PARTIALS));
  }

  static WindowAssigner<Object, TimeWindow> windows(DetectorOptions o) {
    return o.sliding()
        ? SlidingEventTimeWindows.of(o.windowSize, o.windowSlide)
        : TumblingEventTimeWindows.of(o.windowSize);
  }
}
