package io.autonomic.flinkjobs.detector.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.detector.inference.Reconstructor;
import io.autonomic.flinkjobs.detector.inference.Specs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The series side of the micro-batched inference function (the entity side: {@link EntityModelFunctionsTest}). */
class BatchedInferenceFunctionTest {
  private static final long MINUTE = 60_000;

  /** Runs one window through {@code fn} (timeout 1 s), letting the timeout fire when {@code timesOut}. */
  private static List<ModelScoring> run(BatchedInferenceFunction<ModelScoring> fn, ModelScoring request,
      boolean timesOut) throws Exception {
    long timeoutMs = 1_000;
    try (OneInputStreamOperatorTestHarness<ModelScoring, ModelScoring> h = new OneInputStreamOperatorTestHarness<>(
        new AsyncWaitOperatorFactory<>(fn, timeoutMs, 10, AsyncDataStream.OutputMode.ORDERED),
        TypeInformation.of(ModelScoring.class).createSerializer(new SerializerConfigImpl()))) {
      h.open();
      h.setProcessingTime(0);
      h.processElement(request, MINUTE - 1);
      if (timesOut) {
        h.setProcessingTime(timeoutMs + 1);
      }
      h.endInput(); // waits for the in-flight window and runs the operator's mails
      return h.extractOutputValues();
    }
  }

  /** A reconstructor that blocks the inference thread until {@code release} (at most 30 s), giving no result. */
  static Reconstructor stuckUntil(CountDownLatch release) {
    return (input, batch, errors, last) -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void aFailedBatchCompletesTheSeriesWindowWithoutAModelResult() throws Exception {
    Reconstructor failing = (input, batch, errors, last) -> {
      throw new IllegalStateException("no native memory");
    };
    SeriesFeatures window = EntityVectorFunctionTest.features("cpu", 0, MINUTE);
    ModelScoring request = ModelScoring.request(window, ModelSpec.from(Specs.lstm("svc/cpu", 1)), new float[6]);

    List<ModelScoring> out = run(BatchedInferenceFunction.series(1, Duration.ZERO, spec -> failing), request,
        false);

    assertThat(out).hasSize(1);
    assertThat(out.get(0).window.seriesKey()).isEqualTo(window.seriesKey());
    assertThat(out.get(0).window.windowEnd).isEqualTo(MINUTE);
    assertThat(out.get(0).model.modelKey).isEqualTo("svc/cpu");
    assertThat(out.get(0).inferred()).isFalse();
    assertThat(out.get(0).input).isNull();
    assertThat(out.get(0).failure).contains("no native memory");
  }

  @Test
  void aTimedOutSeriesWindowKeepsItsWindowAndIsCounted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Reconstructor stuck = stuckUntil(release);
    SeriesFeatures window = EntityVectorFunctionTest.features("cpu", 0, MINUTE);
    BatchedInferenceFunction<ModelScoring> fn = BatchedInferenceFunction.series(1, Duration.ZERO, spec -> stuck);
    try {
      List<ModelScoring> out = run(fn, ModelScoring.request(window, ModelSpec.from(Specs.lstm("svc/cpu", 1)), new float[6]), true);

      assertThat(out).hasSize(1);
      assertThat(out.get(0).window.seriesKey()).isEqualTo(window.seriesKey());
      assertThat(out.get(0).failure).isEqualTo("timeout");
      assertThat(out.get(0).inferred()).isFalse();
      assertThat(fn.timeouts()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aWindowWithoutAModelPassesAtOnce() throws Exception {
    Reconstructor unused = (input, batch, errors, last) -> {
      throw new AssertionError("no model, no inference");
    };
    SeriesFeatures window = EntityVectorFunctionTest.features("cpu", 0, MINUTE);

    List<ModelScoring> out = run(BatchedInferenceFunction.series(1, Duration.ZERO, spec -> unused),
        ModelScoring.passThrough(window), false);

    assertThat(out).hasSize(1);
    assertThat(out.get(0).window.seriesKey()).isEqualTo(window.seriesKey());
    assertThat(out.get(0).failure).isNull();
  }
}
