package io.autonomic.flinkjobs.detector.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.inference.ArtifactException;
import io.autonomic.flinkjobs.detector.inference.EntityModelScoring;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.detector.inference.Reconstructor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class EntityModelFunctionsTest {
  private static final long MINUTE = 60_000;

  static ModelUpdate dense(long version) {
    return ModelUpdate.newBuilder()
        .setModelKey(ModelSpec.denseKey("svc"))
        .setVersion(version)
        .setKind(ModelSpec.DENSE_AUTOENCODER)
        .setArtifactUri("file:///models/v" + version + ".zip")
        .setSha256("ab")
        .setFeatures(List.of("cpu:mean", "latency:mean"))
        .setCalibration(Map.of("scale.mean.cpu:mean", 50.0, "scale.std.cpu:mean", 5.0,
            "scale.mean.latency:mean", 200.0, "scale.std.latency:mean", 20.0, "error.mad", 0.01))
        .setTrainedFrom(Instant.EPOCH)
        .setTrainedTo(Instant.EPOCH)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }

  /** The entity's window with cpu and latency scored 0.4 and 0.2 by the statistical detector. */
  static EntityVector window(double cpu, double latency) {
    SeriesFeatures c = EntityVectorFunctionTest.features("cpu", 0, MINUTE);
    c.mean = cpu;
    c.score = score(0.4);
    SeriesFeatures l = EntityVectorFunctionTest.features("latency", 0, MINUTE);
    l.mean = latency;
    l.score = score(0.2);
    EntityVector v = new EntityVector(c.entityId, 0, MINUTE, List.of(l, c));
    v.entityId = "svc";
    return v;
  }

  private static WindowScore score(double s) {
    WindowScore w = new WindowScore();
    w.score = s;
    w.warmedUp = true;
    return w;
  }

  @Test
  void denseUpdatesAreAcceptedByKeyAndTurnWindowsIntoScaledRequestsWhileBadOnesAreRefused() throws Exception {
    EntityModelRequestFunction fn = new EntityModelRequestFunction(spec -> {
      if (spec.version == 3) {
        throw new ArtifactException("sha256 mismatch for " + spec.artifactUri);
      }
    });
    try (KeyedBroadcastOperatorTestHarness<String, EntityVector, ModelUpdate, EntityModelScoring> h =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(fn, v -> v.entityId, Types.STRING,
            EntityModelRequestFunction.MODELS)) {
      h.processElement(window(55, 230), MINUTE - 1);
      h.processBroadcastElement(dense(2), 0);
      h.processElement(window(55, 230), 2 * MINUTE - 1);
      h.processBroadcastElement(dense(1), 0);
      h.processBroadcastElement(dense(3), 0);
      h.processBroadcastElement(ModelUpdate.newBuilder(dense(4)).setKind(ModelSpec.LSTM_AUTOENCODER)
          .setCalibration(Map.of()).build(), 0);
      h.processElement(window(50, 200), 3 * MINUTE - 1);

      List<EntityModelScoring> out = h.extractOutputValues();
      assertThat(out).hasSize(3);
      assertThat(out.get(0).needsInference()).as("no model yet").isFalse();
      assertThat(out.get(0).score.score).as("statistical: mean of the two highest").isCloseTo(0.3,
          org.assertj.core.api.Assertions.within(1e-9));
      assertThat(out.get(1).model.version).isEqualTo(2);
      assertThat(out.get(1).input).containsExactly(1f, 1.5f);
      assertThat(out.get(2).model.version).as("the refused versions left v2 running").isEqualTo(2);
      assertThat(out.get(2).input).containsExactly(0f, 0f);
      assertThat(h.getSideOutput(EntityModelRequestFunction.MODEL_STATUS)).extracting(StreamRecord::getValue)
          .satisfiesExactly(
              s -> assertThat(s).isEqualTo("accepted dense-autoencoder/svc v2: first version"),
              s -> assertThat(s).isEqualTo("stale dense-autoencoder/svc v1: not newer than running v2"),
              s -> assertThat(s).startsWith("refused dense-autoencoder/svc v3: sha256 mismatch"),
              s -> assertThat(s).startsWith("refused dense-autoencoder/svc v4: "));
      assertThat(fn.refusals()).isEqualTo(2);
    }
  }

  @Test
  void aTimedOutWindowKeepsItsStatisticalEntityScoreAndIsCounted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Reconstructor stuck = BatchedInferenceFunctionTest.stuckUntil(release);
    BatchedInferenceFunction<EntityModelScoring> fn =
        BatchedInferenceFunction.entities(1, java.time.Duration.ZERO, spec -> stuck);
    TypeSerializer<EntityModelScoring> serializer = TypeInformation.of(EntityModelScoring.class)
        .createSerializer(new SerializerConfigImpl());
    try (OneInputStreamOperatorTestHarness<EntityModelScoring, EntityModelScoring> h =
        new OneInputStreamOperatorTestHarness<>(new AsyncWaitOperatorFactory<>(fn, 1_000, 10,
            org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode.ORDERED), serializer)) {
      h.open();
      h.setProcessingTime(0);
      EntityModelScoring request = EntityModelScoring.request(window(55, 230),
          io.autonomic.flinkjobs.detector.anomaly.EntityScoring.score(window(55, 230)), ModelSpec.from(dense(1)));
      h.processElement(request, MINUTE - 1);
      h.setProcessingTime(1_001); // the timeout fires
      h.endInput(); // runs the operator's mails: the timed-out window's completion

      List<EntityModelScoring> out = h.extractOutputValues();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).failure).isEqualTo("timeout");
      assertThat(out.get(0).inferred()).isFalse();
      assertThat(out.get(0).score.score).isCloseTo(0.3, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(fn.timeouts()).isEqualTo(1);
      release.countDown();
    } finally {
      release.countDown();
    }
  }
}
