package io.autonomic.demo.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
  private static final Instant MIDNIGHT = Instant.parse("2026-11-26T00:00:00Z");
  private static final Duration DAY = Duration.ofHours(24);

  @Test
  void theDailyShapeHasANightTroughAndADaytimePeakWithinTheAmplitude() {
    LoadGenerator g = new LoadGenerator(100, 0.25, DAY, MIDNIGHT, 0, 1);
    double night = g.shape(MIDNIGHT.plus(Duration.ofHours(4)));
    double afternoon = g.shape(MIDNIGHT.plus(Duration.ofHours(16)));
    assertThat(night).isLessThan(0.85);
    assertThat(afternoon).isGreaterThan(1.15);
    for (int h = 0; h < 24; h++) {
      assertThat(g.shape(MIDNIGHT.plus(Duration.ofHours(h)))).isBetween(0.75, 1.25);
    }
  }

  @Test
  void aCompressedDayRepeats() {
    LoadGenerator g = new LoadGenerator(100, 0.25, Duration.ofMinutes(80), MIDNIGHT, 0, 1);
    Instant t = MIDNIGHT.plus(Duration.ofMinutes(13));
    assertThat(g.shape(t.plus(Duration.ofMinutes(80)))).isEqualTo(g.shape(t));
  }

  @Test
  void noiseIsSmallAndDeterministicForASeed() {
    List<Double> a = run(7);
    assertThat(run(7)).isEqualTo(a);
    assertThat(run(8)).isNotEqualTo(a);
    LoadGenerator quiet = new LoadGenerator(100, 0.25, DAY, MIDNIGHT, 0, 7);
    for (int i = 0; i < a.size(); i++) {
      double expected = quiet.next(MIDNIGHT.plus(Duration.ofMinutes(i)));
      assertThat(a.get(i) / expected).isBetween(0.85, 1.15);
    }
  }

  private static List<Double> run(long seed) {
    LoadGenerator g = new LoadGenerator(100, 0.25, DAY, MIDNIGHT, 0.03, seed);
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      out.add(g.next(MIDNIGHT.plus(Duration.ofMinutes(i))));
    }
    return out;
  }
}
