package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchScorerTest {
  /** Reconstructs every cell as 0 (the scaled mean): error = mean of the squared inputs. */
  static final class ZeroReconstructor implements Reconstructor {
    final List<Integer> batches = new ArrayList<>();

    @Override
    public void reconstruct(float[] input, int batch, double[] errors, float[] last) {
      batches.add(batch);
      int cells = input.length / Math.max(1, batch);
      for (int b = 0; b < batch; b++) {
        double sum = 0;
        for (int c = 0; c < 6; c++) {
          sum += input[b * 6 + c] * input[b * 6 + c];
        }
        errors[b] = sum / 6;
        last[b * 2] = 0.5f;
        last[b * 2 + 1] = -1f;
      }
    }
  }

  @Test
  void oneCallPerBatchGivesEachWindowItsErrorAndItsUnscaledReconstruction() throws Exception {
    ModelSpec spec = ModelSpec.from(Specs.lstm("k", 1));
    ZeroReconstructor fake = new ZeroReconstructor();
    List<BatchScorer.Pending> pending = new ArrayList<>();
    List<ModelScoring> done = new ArrayList<>();
    float[][] inputs = {{1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 2}};
    for (float[] in : inputs) {
      pending.add(new BatchScorer.Pending(ModelScoring.request(new SeriesFeatures(), spec, in), done::add));
    }

    new BatchScorer(s -> fake).run(spec.artifactId(), pending);

    assertThat(fake.batches).containsExactly(2);
    assertThat(done).hasSize(2);
    assertThat(done.get(0).error).isCloseTo(1.0, within(1e-9));
    assertThat(done.get(1).error).isCloseTo(4.0 / 6, within(1e-9));
    // expected = z * std + mean: mean 10 ± 2, max 20 ± 4
    assertThat(done.get(0).expected).containsExactly(11.0, 16.0);
    assertThat(done.get(0).input).as("not shipped downstream again").isNull();
  }

  @Test
  void aNewerVersionOfAModelGetsANewReconstructor() throws Exception {
    List<String> created = new ArrayList<>();
    BatchScorer scorer = new BatchScorer(s -> {
      created.add(s.describe());
      return new ZeroReconstructor();
    });
    for (long v : new long[] {1, 1, 2}) {
      ModelSpec spec = ModelSpec.from(Specs.lstm("k", v));
      scorer.run(spec.artifactId(), List.of(new BatchScorer.Pending(
          ModelScoring.request(new SeriesFeatures(), spec, new float[6]), s -> { })));
    }
    assertThat(created).containsExactly("k v1", "k v2");
  }
}
