package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DriftMonitorTest {
  @Test
  void oneLargeErrorIsNotDriftButALastingRiseIs() {
    DriftMonitor d = new DriftMonitor(5, 1.0);
    for (int i = 0; i < 4; i++) {
      d.add(0.2);
    }
    d.add(50);
    assertThat(d.drifted()).isFalse();
    d.add(3);
    d.add(3);
    assertThat(d.drifted()).isTrue(); // 3 3 0.2 0.2 50: most recent errors are above p99
    assertThat(d.median()).isEqualTo(3);
    assertThat(new DriftMonitor(5, 1.0).drifted()).isFalse();
  }

  @Test
  void needsAFullWindowOfErrors() {
    DriftMonitor d = new DriftMonitor(3, 1.0);
    d.add(5);
    d.add(5);
    d.add(Double.NaN);
    assertThat(d.drifted()).isFalse();
    d.add(5);
    assertThat(d.drifted()).isTrue();
  }
}
