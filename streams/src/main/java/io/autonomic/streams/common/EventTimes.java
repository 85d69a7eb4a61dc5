package io.autonomic.streams.common;

import java.time.Duration;

/** Event time of a record as the apps' timestamp extractors take it, safe against producers with fast clocks. */
public final class EventTimes {
  private EventTimes() {}

  /**
   * How far ahead of this host's clock an event time is believed. Brokers reject records stamped more than
   * {@code log.message.timestamp.after.max.ms} (1 hour by default) in the future, and a state store's changelog
   * record carries the event time: one such record would fail the task's transaction again and again.
   */
  public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(15);

  /**
   * {@code eventTime} when it is plausible; otherwise the Kafka record's timestamp, else the partition's time.
   */
  public static long choose(long eventTime, long recordTimestamp, long partitionTime, long nowMillis) {
    if (eventTime >= 0 && eventTime <= nowMillis + FUTURE_TOLERANCE.toMillis()) {
      return eventTime;
    }
    if (recordTimestamp >= 0 && recordTimestamp <= nowMillis + FUTURE_TOLERANCE.toMillis()) {
      return recordTimestamp;
    }
    return Math.max(partitionTime, 0);
  }
}
