package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FastMathTest {
  @Test
  void tanhIsWithinAMillionthOfMathTanh() {
    double worst = 0;
    for (int i = -2_000_000; i <= 2_000_000; i++) {
      float v = i * 1e-5f;
      worst = Math.max(worst, Math.abs(FastMath.tanh(v) - Math.tanh(v)));
    }
    assertThat(worst).isLessThan(1e-6);
    assertThat(FastMath.tanh(1e6f)).isEqualTo(1f, org.assertj.core.api.Assertions.within(1e-6f));
    assertThat(FastMath.tanh(-1e6f)).isEqualTo(-1f, org.assertj.core.api.Assertions.within(1e-6f));
    assertThat(FastMath.tanh(0f)).isZero();
  }

  @Test
  void sigmoidIsWithinAMillionthOfTheLogisticFunction() {
    double worst = 0;
    for (int i = -2_000_000; i <= 2_000_000; i++) {
      float v = i * 1e-5f;
      worst = Math.max(worst, Math.abs(FastMath.sigmoid(v) - 1 / (1 + Math.exp(-v))));
    }
    assertThat(worst).isLessThan(1e-6);
    assertThat(FastMath.sigmoid(0f)).isEqualTo(0.5f);
  }
}
