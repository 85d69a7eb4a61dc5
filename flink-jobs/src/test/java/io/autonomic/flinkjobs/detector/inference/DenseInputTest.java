package io.autonomic.flinkjobs.detector.inference;

import static io.autonomic.flinkjobs.detector.inference.DenseSpecs.series;
import static io.autonomic.flinkjobs.detector.inference.DenseSpecs.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.model.Scaling;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenseInputTest {
  private final ModelSpec model = ModelSpec.from(DenseSpecs.dense(1));

  @Test
  void theVectorIsScaledInModelOrderWhateverOrderTheSeriesCameIn() {
    EntityVector v = vector(series("latency", 240, 230), series("cpu", 45, 47));

    assertThat(DenseInput.observed(model, v)).containsExactly(45, 240, 230);
    assertThat(DenseInput.scaled(model, v)).containsExactly(-1f, 2f, 1f);
  }

  @Test
  void aMissingSeriesScalesToZeroAndAnUnknownOneIsIgnored() {
    EntityVector v = vector(series("cpu", 60, 61), series("disk", 1e6, 1e6));

    double[] observed = DenseInput.observed(model, v);
    assertThat(observed[0]).isEqualTo(60);
    assertThat(observed[1]).isNaN();
    assertThat(observed[2]).isNaN();
    assertThat(DenseInput.scaled(model, v)).containsExactly(2f, 0f, 0f);
  }

  @Test
  void scalingClampsAtTenAndMatchesTheTrainersScaling() {
    EntityVector v = vector(series("cpu", 500, 500), series("latency", Double.POSITIVE_INFINITY, -1e9));
    Scaling trainer = Scaling.fromCalibration(List.of(model.features), DenseSpecs.dense(1).getCalibration());

    float[] z = DenseInput.scaled(model, v);
    double[] x = DenseInput.observed(model, v);
    // +Infinity clamps like any large value (one Scaling rule on both sides; only a missing value, NaN, is 0)
    assertThat(z).containsExactly(10f, 10f, -10f);
    for (int i = 0; i < z.length; i++) {
      assertThat(z[i]).isEqualTo(trainer.scale(i, x[i]));
    }
  }

  @Test
  void theRawErrorIsTheMeanSquaredDifferenceOverTheFeatures() {
    assertThat(DenseInput.error(new float[] {0, 1, 2}, new float[] {1, 1, 0})).isCloseTo(5.0 / 3, within(1e-9));
  }
}
