package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.flinkjobs.detector.inference.BatchScorer;
import io.autonomic.flinkjobs.detector.inference.MicroBatcher;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
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
 * Model inference that never stalls the stream: the async operator around it (ordered, bounded capacity, part of
 * every checkpoint: in-flight windows are stored and replayed on restore) hands each request to this subtask's
 * {@link MicroBatcher}, whose one inference thread runs one forward pass per model per micro-batch (flushed at
 * {@code batchSize} requests or after {@code maxDelay}). Windows without a model complete at once.
 *
 * <p>A failed batch or a timeout completes the window without a model result (its statistical score stands),
 * counted and logged, so a model problem never fails the job.
 */
public final class BatchedInferenceFunction extends RichAsyncFunction<ModelScoring, ModelScoring> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BatchedInferenceFunction.class);

  private final int batchSize;
  private final Duration maxDelay;
  private final BatchScorer.Factory factory;
  private transient MicroBatcher<String, BatchScorer.Pending> batcher;
  private transient Counter inferred;
  private transient Counter failed;
  private transient Counter timedOut;

  public BatchedInferenceFunction(int batchSize, Duration maxDelay, BatchScorer.Factory factory) {
    this.batchSize = batchSize;
    this.maxDelay = maxDelay;
    this.factory = factory;
  }

  @Override
  public void open(OpenContext ctx) {
    Nd4jRuntime.init();
    inferred = getRuntimeContext().getMetricGroup().counter("windowsInferred", new ThreadSafeSimpleCounter());
    failed = getRuntimeContext().getMetricGroup().counter("inferenceFailures", new ThreadSafeSimpleCounter());
    timedOut = getRuntimeContext().getMetricGroup().counter("inferenceTimeouts", new ThreadSafeSimpleCounter());
    BatchScorer scorer = new BatchScorer(factory);
    String name = "inference-" + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks();
    batcher = new MicroBatcher<>(name, batchSize, maxDelay, BatchScorer::group, scorer::run, this::failed);
  }

  @Override
  public void asyncInvoke(ModelScoring s, ResultFuture<ModelScoring> result) {
    if (!s.needsInference()) {
      result.complete(Collections.singleton(s));
      return;
    }
    batcher.submit(new BatchScorer.Pending(s, done -> {
      inferred.inc();
      result.complete(Collections.singleton(done));
    }));
  }

  private void failed(List<BatchScorer.Pending> batch, Throwable error) {
    failed.inc(batch.size());
    for (BatchScorer.Pending p : batch) {
      ModelScoring s = p.scoring();
      s.input = null;
      s.failure = error.toString();
      p.done().accept(s);
    }
  }

  @Override
  public void timeout(ModelScoring s, ResultFuture<ModelScoring> result) {
    // the batcher may still complete the original later (ignored by the operator): emit a copy it cannot touch
    timedOut.inc();
    LOG.warn("inference timed out: model={} v{} window={} (statistical score only)", s.model.modelKey,
        s.model.version, s.window.windowEnd);
    ModelScoring copy = ModelScoring.passThrough(s.window);
    copy.model = s.model;
    copy.failure = "timeout";
    result.complete(Collections.singleton(copy));
  }

  @Override
  public void close() throws Exception {
    if (batcher != null) {
      batcher.close();
    }
  }
}
