package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.flinkjobs.detector.inference.BatchScorer;
import io.autonomic.flinkjobs.detector.inference.EntityBatchScorer;
import io.autonomic.flinkjobs.detector.inference.EntityModelScoring;
import io.autonomic.flinkjobs.detector.inference.InferenceRequest;
import io.autonomic.flinkjobs.detector.inference.MicroBatcher;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model inference that never stalls the stream, for series windows ({@link #series}) and entity windows
 * ({@link #entities}): the async operator around it (ordered, bounded capacity, part of every checkpoint: in-flight
 * windows are stored and replayed on restore) hands each request to this subtask's {@link MicroBatcher}, whose one
 * inference thread runs one forward pass per model per micro-batch (flushed at {@code batchSize} requests or after
 * {@code maxDelay}). Windows without a model complete at once.
 *
 * <p>A failed batch or a timeout completes the window without a model result (its statistical score stands),
 * counted and logged, so a model problem never fails the job.
 *
 * @param <T> the request: a series or an entity window
 */
public final class BatchedInferenceFunction<T extends InferenceRequest<T>> extends RichAsyncFunction<T, T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BatchedInferenceFunction.class);

  /** Makes an inference thread's scorer: it runs one micro-batch of one artifact and completes every request. */
  @FunctionalInterface
  public interface Scorers<T> extends Serializable {
    MicroBatcher.Runner<String, InferenceRequest.Pending<T>> open();
  }

  private final String subject;
  private final int batchSize;
  private final Duration maxDelay;
  private final Scorers<T> scorers;
  private transient MicroBatcher<String, InferenceRequest.Pending<T>> batcher;
  private transient Counter inferred;
  private transient Counter failed;
  private transient Counter timedOut;

  /**
   * @param subject what is inferred, naming the metrics, the thread and the log lines: empty for series windows
   *     ({@code windowsInferred}, {@code inference-<task>}), {@code "entity"} for entity windows
   *     ({@code entityWindowsInferred}, {@code entity-inference-<task>})
   */
  public BatchedInferenceFunction(String subject, int batchSize, Duration maxDelay, Scorers<T> scorers) {
    this.subject = subject;
    this.batchSize = batchSize;
    this.maxDelay = maxDelay;
    this.scorers = scorers;
  }

  /** Series windows, scored by {@link BatchScorer}. */
  public static BatchedInferenceFunction<ModelScoring> series(int batchSize, Duration maxDelay,
      BatchScorer.Factory factory) {
    return new BatchedInferenceFunction<>("", batchSize, maxDelay, () -> new BatchScorer(factory)::run);
  }

  /** Entity windows, scored by {@link EntityBatchScorer} ({@code DenseReconstructor::dl4j} in the job). */
  public static BatchedInferenceFunction<EntityModelScoring> entities(int batchSize, Duration maxDelay,
      BatchScorer.Factory factory) {
    return new BatchedInferenceFunction<>("entity", batchSize, maxDelay, () -> new EntityBatchScorer(factory)::run);
  }

  @Override
  public void open(OpenContext ctx) {
    Nd4jRuntime.init();
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    inferred = metrics.counter(metric("windowsInferred"), new ThreadSafeSimpleCounter());
    failed = metrics.counter(metric("inferenceFailures"), new ThreadSafeSimpleCounter());
    timedOut = metrics.counter(metric("inferenceTimeouts"), new ThreadSafeSimpleCounter());
    String name = (subject.isEmpty() ? "" : subject + "-") + "inference-"
        + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks();
    batcher = new MicroBatcher<>(name, batchSize, maxDelay, p -> p.scoring().model().artifactId(), scorers.open(),
        this::failed);
  }

  private String metric(String name) {
    return subject.isEmpty() ? name : subject + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  @Override
  public void asyncInvoke(T s, ResultFuture<T> result) {
    if (!s.needsInference()) {
      result.complete(Collections.singleton(s));
      return;
    }
    batcher.submit(new InferenceRequest.Pending<>(s, done -> {
      inferred.inc();
      result.complete(Collections.singleton(done));
    }));
  }

  private void failed(List<InferenceRequest.Pending<T>> batch, Throwable error) {
    failed.inc(batch.size());
    for (InferenceRequest.Pending<T> p : batch) {
      p.done().accept(p.scoring().withoutResult(error.toString()));
    }
  }

  @Override
  public void timeout(T s, ResultFuture<T> result) {
    // the batcher may still complete the original later (ignored by the operator): emit a copy it cannot touch
    timedOut.inc();
    LOG.warn("{}inference timed out: {}", subject.isEmpty() ? "" : subject + " ", s.describe());
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
