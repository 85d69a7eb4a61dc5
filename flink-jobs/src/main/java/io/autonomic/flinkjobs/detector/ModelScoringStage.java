package io.autonomic.flinkjobs.detector;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.functions.BatchedInferenceFunction;
import io.autonomic.flinkjobs.detector.functions.CombineModelScoreFunction;
import io.autonomic.flinkjobs.detector.functions.ModelSequenceFunction;
import io.autonomic.flinkjobs.detector.inference.BatchScorer;
import io.autonomic.flinkjobs.detector.inference.InferenceEngine;
import io.autonomic.flinkjobs.detector.inference.ModelAcceptance;
import io.autonomic.flinkjobs.detector.inference.ModelCache;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
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
    // the models stream carries no event time: its watermark is "end of time" so it never holds the windows back
    BroadcastStream<ModelUpdate> broadcast = models
        .assignTimestampsAndWatermarks(WatermarkStrategy.<ModelUpdate>forGenerator(ctx -> new EndOfTime()))
        .name("models-no-event-time").uid("models-no-event-time")
        .broadcast(ModelSequenceFunction.MODELS);

    SingleOutputStreamOperator<ModelScoring> requests = scored
        .keyBy(SeriesFeatures::seriesKey)
        .connect(broadcast)
        .process(new ModelSequenceFunction(o.modelSequenceLength, o.stateTtl, verifier))
        .name("model-sequences").uid("model-sequences");

    SingleOutputStreamOperator<ModelScoring> inferred = AsyncDataStream.orderedWait(requests,
            new BatchedInferenceFunction(o.modelBatchSize, o.modelBatchMaxDelay, reconstructors),
            o.modelAsyncTimeout.toMillis(), TimeUnit.MILLISECONDS, o.modelAsyncCapacity)
        .name("model-inference").uid("model-inference");

    SingleOutputStreamOperator<SeriesFeatures> rescored = inferred
        .keyBy(s -> s.window.seriesKey())
        .process(new CombineModelScoreFunction(o.stateTtl))
        .name("model-scores").uid("model-scores");
    return new Output(rescored, requests.getSideOutput(ModelSequenceFunction.MODEL_STATUS));
  }

  /** Emits the largest watermark once: the broadcast input then never lowers the operator's watermark. */
  static final class EndOfTime implements WatermarkGenerator<ModelUpdate> {
    private boolean emitted;

    @Override
    public void onEvent(ModelUpdate event, long eventTimestamp, WatermarkOutput output) {
      onPeriodicEmit(output);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      if (!emitted) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
        emitted = true;
      }
    }
  }
}
