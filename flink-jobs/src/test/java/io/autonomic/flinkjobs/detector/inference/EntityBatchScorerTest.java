package io.autonomic.flinkjobs.detector.inference;

import static io.autonomic.flinkjobs.detector.inference.DenseSpecs.series;
import static io.autonomic.flinkjobs.detector.inference.DenseSpecs.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityBatchScorerTest {
  /** Reconstructs every feature as 0 (the scaled mean): error = mean of the squared inputs. */
  static final class ZeroReconstructor implements Reconstructor {
    final List<Integer> batches = new ArrayList<>();
    final int features;

    ZeroReconstructor(int features) {
      this.features = features;
    }

    @Override
    public void reconstruct(float[] input, int batch, double[] errors, float[] last) {
      batches.add(batch);
      for (int b = 0; b < batch; b++) {
        double sum = 0;
        for (int f = 0; f < features; f++) {
          sum += input[b * features + f] * input[b * features + f];
          last[b * features + f] = 0f;
        }
        errors[b] = sum / features;
      }
    }
  }

  @Test
  void oneCallPerBatchGivesEachEntityWindowItsErrorAndReconstruction() throws Exception {
    ModelSpec spec = ModelSpec.from(DenseSpecs.dense(1));
    ZeroReconstructor fake = new ZeroReconstructor(3);
    List<EntityModelScoring> done = new ArrayList<>();
    List<InferenceRequest.Pending<EntityModelScoring>> pending = List.of(
        new InferenceRequest.Pending<>(EntityModelScoring.request(
            vector(series("cpu", 55, 60), series("latency", 220, 230)), null, spec), done::add),
        new InferenceRequest.Pending<>(EntityModelScoring.request(
            vector(series("cpu", 50, 50)), null, spec), done::add));

    new EntityBatchScorer(s -> fake).run(spec.artifactId(), pending);

    assertThat(fake.batches).containsExactly(2);
    assertThat(done).hasSize(2);
    assertThat(done.get(0).error).isCloseTo((1 + 1 + 1) / 3.0, within(1e-9)); // z = 1, 1, 1
    assertThat(done.get(1).error).as("missing series scale to 0").isZero();
    assertThat(done.get(0).reconstruction).containsExactly(0f, 0f, 0f);
    assertThat(done.get(0).inferred()).isTrue();
  }

  @Test
  void aNewerVersionGetsANewReconstructor() throws Exception {
    List<String> created = new ArrayList<>();
    EntityBatchScorer scorer = new EntityBatchScorer(s -> {
      created.add(s.describe());
      return new ZeroReconstructor(3);
    });
    for (long v : new long[] {1, 1, 2}) {
      ModelSpec spec = ModelSpec.from(DenseSpecs.dense(v));
      scorer.run(spec.artifactId(), List.of(new InferenceRequest.Pending<>(
          EntityModelScoring.request(vector(series("cpu", 50, 50)), null, spec), s -> { })));
    }
    assertThat(created).containsExactly("dense-autoencoder/svc v1", "dense-autoencoder/svc v2");
  }
}
