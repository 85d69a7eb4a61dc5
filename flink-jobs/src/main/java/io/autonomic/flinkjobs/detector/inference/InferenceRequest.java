package io.autonomic.flinkjobs.detector.inference;

import java.util.function.Consumer;

/**
 * A window on its way through model inference, as the micro-batched async inference function sees it: a series
 * window ({@link ModelScoring}) or an entity window ({@link EntityModelScoring}).
 *
 * @param <T> the request type itself
 */
public interface InferenceRequest<T extends InferenceRequest<T>> {
  /** The model to run; null when the window has none. */
  ModelSpec model();

  /** The scaled input of the model, {@link ModelSpec#cells} floats; null when there is none. */
  float[] input();

  /** Whether the window carries an input for its model; if not, it passes inference untouched. */
  default boolean needsInference() {
    return model() != null && input() != null;
  }

  /**
   * A copy with the model but without input or result, saying why there is none (a timeout, a failed batch): it
   * keeps the statistical score, and the batcher, which may still complete the original, cannot touch it.
   */
  T withoutResult(String why);

  /** The model and the window, and what score stands without the model, for the timeout log line. */
  String describe();

  /** A request waiting for inference and what to do with it once it has its result. */
  class Pending<T> {
    private final T scoring;
    private final Consumer<T> done;

    public Pending(T scoring, Consumer<T> done) {
      this.scoring = scoring;
      this.done = done;
    }

    public T scoring() {
      return scoring;
    }

    public Consumer<T> done() {
      return done;
    }
  }
}
