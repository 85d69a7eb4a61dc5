package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.flinkjobs.detector.inference.BatchScorer;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import io.autonomic.flinkjobs.detector.inference.EntityBatchScorer;
import io.autonomic.flinkjobs.detector.inference.EntityModelScoring;
import io.autonomic.flinkjobs.detector.inference.MicroBatcher;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dense-autoencoder inference off the task thread, in the pattern of {@link BatchedInferenceFunction}: the async
 * operator around it (ordered, bounded capacity, in-flight windows checkpointed) hands each entity window with a
 * model to this subtask's {@link MicroBatcher}, whose thread runs one forward pass per model per micro-batch.
 * Windows without a model complete at once. A failed batch or a timeout completes the window without a model
 * result, so it keeps its statistical entity score (logged, counted); a model problem never fails the job.
 */
public final class EntityInferenceFunction extends RichAsyncFunction<EntityModelScoring, EntityModelScoring> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EntityInferenceFunction.class);

  private final int batchSize;
  private final Duration maxDelay;
  private final BatchScorer.Factory factory;
  private transient MicroBatcher<String, EntityBatchScorer.Pending> batcher;
  private transient Counter inferred;
  private transient Counter failed;
  private transient Counter timedOut;

  /** @param factory the reconstructor of an artifact ({@code DenseReconstructor::dl4j} in the job) */
  public EntityInferenceFunction(int batchSize, Duration maxDelay, BatchScorer.Factory factory) {
    this.batchSize = batchSize;
    this.maxDelay = maxDelay;
    this.factory = factory;
  }

  @Override
  public void open(OpenContext ctx) {
    Nd4jRuntime.init();
    inferred = getRuntimeContext().getMetricGroup().counter("entityWindowsInferred", new ThreadSafeSimpleCounter());
    failed = getRuntimeContext().getMetricGroup().counter("entityInferenceFailures", new ThreadSafeSimpleCounter());
    timedOut = getRuntimeContext().getMetricGroup().counter("entityInferenceTimeouts",
        new ThreadSafeSimpleCounter());
    EntityBatchScorer scorer = new EntityBatchScorer(factory);
    String name = "entity-inference-" + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks();
    batcher = new MicroBatcher<>(name, batchSize, maxDelay, EntityBatchScorer::group, scorer::run, this::failed);
  }

  @Override
  public void asyncInvoke(EntityModelScoring s, ResultFuture<EntityModelScoring> result) {
    if (!s.needsInference()) {
      result.complete(Collections.singleton(s));
      return;
    }
    batcher.submit(new EntityBatchScorer.Pending(s, done -> {
      inferred.inc();
      result.complete(Collections.singleton(done));
    }));
  }

  private void failed(List<EntityBatchScorer.Pending> batch, Throwable error) {
    failed.inc(batch.size());
    for (EntityBatchScorer.Pending p : batch) {
      p.done().accept(p.scoring().withoutResult(error.toString()));
    }
  }

  @Override
  public void timeout(EntityModelScoring s, ResultFuture<EntityModelScoring> result) {
    // the batcher may still complete the original later (ignored by the operator): emit a copy it cannot touch
    timedOut.inc();
    LOG.warn("entity inference timed out: model={} v{} entity={} window={} (statistical entity score only)",
        s.model.modelKey, s.model.version, s.vector.entityId, s.vector.windowEnd);
    result.complete(Collections.singleton(s.withoutResult("timeout")));
  }

  /** Windows that timed out so far on this subtask (tests). */
  long timeouts() {
    return timedOut.getCount();
  }

  @Override
  public void close() throws Exception {
    if (batcher != null) {
      batcher.close();
    }
  }
}
