package io.autonomic.flinkjobs.detector;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.functions.BatchedInferenceFunction;
import io.autonomic.flinkjobs.detector.functions.CombineEntityScoreFunction;
import io.autonomic.flinkjobs.detector.functions.CombineModelScoreFunction;
import io.autonomic.flinkjobs.detector.functions.EntityModelRequestFunction;
import io.autonomic.flinkjobs.detector.functions.ModelSequenceFunction;
import io.autonomic.flinkjobs.detector.inference.BatchScorer;
import io.autonomic.flinkjobs.detector.inference.DenseReconstructor;
import io.autonomic.flinkjobs.detector.inference.EntityModelScoring;
import io.autonomic.flinkjobs.detector.inference.InferenceEngine;
import io.autonomic.flinkjobs.detector.inference.InferenceRequest;
import io.autonomic.flinkjobs.detector.inference.ModelAcceptance;
import io.autonomic.flinkjobs.detector.inference.ModelCache;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The model half of series scoring, between the statistical scoring and the anomalies:
 * <pre>
 * scored ─ keyBy(series) ─ connect(models broadcast) ─ model-sequences (history, scaled [F, N] requests)
 *        ─ model-inference (async, ordered, bounded; micro-batched on one inference thread per subtask)
 *        ─ keyBy(series) ─ model-scores (error → likelihood, max with the statistical score)
 * </pre>
 * and its entity half ({@link #applyEntity}), after the entity vectors:
 * <pre>
 * vectors ─ keyBy(entity) ─ connect(dense models broadcast) ─ entity-model-requests (statistical entity score,
 *           scaled [F] request) ─ entity-model-inference (async, ordered, bounded; micro-batched)
 *         ─ keyBy(entity) ─ entity-model-scores (error → likelihood, max with the statistical entity score)
 * </pre>
 */
public final class ModelScoringStage {
  private ModelScoringStage() {}

  /** What the stage produces: the re-scored windows, and one status line per model update per subtask. */
  public record Output(SingleOutputStreamOperator<SeriesFeatures> scored, DataStream<String> modelStatus) {}

  public static Output apply(DataStream<SeriesFeatures> scored, DataStream<ModelUpdate> models, DetectorOptions o) {
    return apply(scored, models, o, ModelCache::load, InferenceEngine.of(o.modelEngine).factory());
  }

  /** With the artifact check and the reconstructor factory given (tests use fakes). */
  public static Output apply(DataStream<SeriesFeatures> scored, DataStream<ModelUpdate> models, DetectorOptions o,
      ModelAcceptance.Verifier verifier, BatchScorer.Factory reconstructors) {
    BroadcastStream<ModelUpdate> broadcast = idle(models, "models-no-event-time")
        .broadcast(ModelSequenceFunction.MODELS);

    SingleOutputStreamOperator<ModelScoring> requests = scored
        .keyBy(SeriesFeatures::seriesKey)
        .connect(broadcast)
        .process(new ModelSequenceFunction(o.modelSequenceLength, o.stateTtl, verifier))
        .name("model-sequences").uid("model-sequences");

    SingleOutputStreamOperator<ModelScoring> inferred = infer(requests,
        BatchedInferenceFunction.series(o.modelBatchSize, o.modelBatchMaxDelay, reconstructors), o,
        "model-inference");

    SingleOutputStreamOperator<SeriesFeatures> rescored = inferred
        .keyBy(s -> s.window.seriesKey())
        .process(new CombineModelScoreFunction(o.stateTtl))
        .name("model-scores").uid("model-scores");
    return new Output(rescored, requests.getSideOutput(ModelSequenceFunction.MODEL_STATUS));
  }

  /** What the entity half produces: every entity window with its final score, and the dense model status lines. */
  public record EntityOutput(SingleOutputStreamOperator<EntityModelScoring> scored,
      DataStream<String> modelStatus) {}

  /** Whether an update is for the entity stage (dense) rather than the series stage. */
  public static boolean isDense(ModelUpdate u) {
    return ModelSpec.DENSE_AUTOENCODER.equals(u.getKind());
  }

  public static EntityOutput applyEntity(DataStream<EntityVector> vectors, DataStream<ModelUpdate> models,
      DetectorOptions o) {
    return applyEntity(vectors, models, o, DenseModels::verify, DenseReconstructor::dl4j);
  }

  /**
   * Scores entity vectors with the dense autoencoders announced on {@code models} (only dense updates reach this
   * stage's broadcast state; the caller keeps them from the series stage). Reuses the series stage's batching and
   * async settings.
   */
  public static EntityOutput applyEntity(DataStream<EntityVector> vectors, DataStream<ModelUpdate> models,
      DetectorOptions o, ModelAcceptance.Verifier verifier, BatchScorer.Factory reconstructors) {
    BroadcastStream<ModelUpdate> broadcast = idle(
        models.filter(ModelScoringStage::isDense).name("dense-models").uid("dense-models"),
        "dense-models-no-event-time")
        .broadcast(EntityModelRequestFunction.MODELS);

    SingleOutputStreamOperator<EntityModelScoring> requests = vectors
        .keyBy(v -> v.entityId)
        .connect(broadcast)
        .process(new EntityModelRequestFunction(verifier))
        .name("entity-model-requests").uid("entity-model-requests");

    SingleOutputStreamOperator<EntityModelScoring> inferred = infer(requests,
        BatchedInferenceFunction.entities(o.modelBatchSize, o.modelBatchMaxDelay, reconstructors), o,
        "entity-model-inference");

    SingleOutputStreamOperator<EntityModelScoring> rescored = inferred
        .keyBy(s -> s.vector.entityId)
        .process(new CombineEntityScoreFunction(o.stateTtl))
        .name("entity-model-scores").uid("entity-model-scores");
    return new EntityOutput(rescored, requests.getSideOutput(EntityModelRequestFunction.MODEL_STATUS));
  }

  /** The models stream carries no event time: it is marked idle so it neither holds back nor advances the windows. */
  private static SingleOutputStreamOperator<ModelUpdate> idle(DataStream<ModelUpdate> models, String uid) {
    return models
        .assignTimestampsAndWatermarks(WatermarkStrategy.<ModelUpdate>forGenerator(ctx -> new IdleModels()))
        .name(uid).uid(uid);
  }

  /** Async, ordered, bounded inference of {@code requests}: the option's timeout and capacity. */
  private static <T extends InferenceRequest<T>> SingleOutputStreamOperator<T> infer(
      SingleOutputStreamOperator<T> requests, BatchedInferenceFunction<T> inference, DetectorOptions o, String uid) {
    return AsyncDataStream.orderedWait(requests, inference, o.modelAsyncTimeout.toMillis(), TimeUnit.MILLISECONDS,
        o.modelAsyncCapacity).name(uid).uid(uid);
  }

  /** The dense stage's artifact check: checksum and load ({@link ModelCache}), and the input width. */
  static final class DenseModels {
    private DenseModels() {}

    static void verify(ModelSpec spec) throws io.autonomic.flinkjobs.detector.inference.ArtifactException {
      long width = ModelCache.load(spec).layerInputSize(0);
      if (width != spec.features.length) {
        throw new io.autonomic.flinkjobs.detector.inference.ArtifactException("network input width " + width
            + " does not match the " + spec.features.length + " announced features");
      }
    }
  }

  /**
   * Marks the models stream idle for good, so it never takes part in the operator's watermark: the keyed input
   * alone sets it. (It used to emit the largest watermark, which is not neutral: once the metrics input went idle,
   * for example a quiet topic at start-up, the operator's combined watermark became that of the models input,
   * Long.MAX_VALUE, and never came back down, so every event-time timer downstream, such as the entity join's,
   * fired at most once more and then never again.) Records of an idle stream are still processed.
   */
  static final class IdleModels implements WatermarkGenerator<ModelUpdate> {
    @Override
    public void onEvent(ModelUpdate event, long eventTimestamp, WatermarkOutput output) {
      output.markIdle();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      output.markIdle();
    }
  }
}
