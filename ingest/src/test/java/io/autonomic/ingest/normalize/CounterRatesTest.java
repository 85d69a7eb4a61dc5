package io.autonomic.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterRatesTest {
  private final CounterRates rates = new CounterRates();

  @Test
  void firstSamplePrimesThenRatesArePerSecond() {
    assertThat(rates.rate("s", 100, 0)).isEmpty();
    assertThat(rates.rate("s", 150, 10_000)).hasValue(5.0);
    assertThat(rates.rate("s", 150, 20_000)).hasValue(0.0);
  }

  @Test
  void wrapAroundOfA32BitCounterIsADeltaNotARestart() {
    double wrap = Math.pow(2, 32);
    rates.rate("rx", wrap - 1000, 0, 0, wrap);
    assertThat(rates.rate("rx", 1000, 1000, 0, wrap)).hasValue(2000.0);
  }

  @Test
  void aBigDecreaseIsARestartCountingFromZero() {
    double wrap = Math.pow(2, 64);
    rates.rate("c", 1_000_000, 0, 0, wrap);
    assertThat(rates.rate("c", 30, 10_000, 0, wrap)).hasValue(3.0);
    rates.rate("d", 500, 0);
    assertThat(rates.rate("d", 20, 2_000)).hasValue(10.0);
  }

  @Test
  void aNewStartTimeIsARestartEvenWhenTheValueGrew() {
    rates.rate("x", 10, 10_000, 1_000, 0);
    // restarted at t=15s and counted 100 by t=20s
    assertThat(rates.rate("x", 100, 20_000, 15_000, 0)).hasValue(20.0);
  }

  @Test
  void samplesThatDoNotAdvanceGiveNoRateAndOutOfOrderOnesAreIgnored() {
    rates.rate("x", 10, 10_000);
    assertThat(rates.rate("x", 20, 10_000)).isEmpty();
    assertThat(rates.rate("x", 5, 5_000)).isEmpty();
    assertThat(rates.rate("x", 30, 20_000)).hasValue(1.0);
    assertThat(rates.rate("x", Double.NaN, 30_000)).isEmpty();
  }
}
