package io.autonomic.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.streams.common.EventTimes;
import org.junit.jupiter.api.Test;

class EventTimesTest {
  static final long NOW = 1_800_000_000_000L;

  @Test
  void trustsPlausibleEventTimesPastOrSlightlyAhead() {
    assertThat(EventTimes.choose(NOW - 3_600_000, NOW, 0, NOW)).isEqualTo(NOW - 3_600_000);
    assertThat(EventTimes.choose(NOW + 60_000, NOW, 0, NOW)).isEqualTo(NOW + 60_000);
  }

  @Test
  void fallsBackToTheRecordTimestampForAClockFarAhead() {
    // the broker would reject a changelog record an hour ahead and fail the task's transaction over and over
    assertThat(EventTimes.choose(NOW + 3_600_000, NOW - 5, 0, NOW)).isEqualTo(NOW - 5);
    assertThat(EventTimes.choose(-1, -1, NOW - 7, NOW)).isEqualTo(NOW - 7);
  }
}
