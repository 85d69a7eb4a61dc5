package io.autonomic.ingest.normalize;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns cumulative counters into per-second rates, per series, across wrap-around and restarts.
 *
 * <ul>
 *   <li>The first sample of a series only primes it: no rate yet (a cumulative total alone says
 *       nothing about the current rate).</li>
 *   <li>A decrease is a wrap when the counter has a known width ({@code wrapAt}, e.g. 2^32 for a
 *       32-bit kernel counter) and the wrapped delta is plausible (under half the range); otherwise it
 *       is a restart, and the new value counts from zero (Prometheus' {@code rate()} does the same).</li>
 *   <li>A new start time (OTLP {@code start_time_unix_nano}) is a restart too, even when the value grew.</li>
 *   <li>Samples that do not advance in time give no rate.</li>
 * </ul>
 *
 * <p>State is one small entry per series, in memory; a restarted agent primes again.
 */
public final class CounterRates {
  private record Last(double value, long timeMillis, long startMillis) {}

  private final Map<String, Last> last = new ConcurrentHashMap<>();

  /** Rate of a counter without a known width or start time. */
  public OptionalDouble rate(String seriesKey, double value, long timeMillis) {
    return rate(seriesKey, value, timeMillis, 0L, 0d);
  }

  /**
   * Per-second rate since the previous sample of the series.
   *
   * @param startMillis when the counter started counting (0 when unknown)
   * @param wrapAt the value at which the counter wraps to 0 (0 when it does not wrap, e.g. a double)
   */
  public OptionalDouble rate(String seriesKey, double value, long timeMillis, long startMillis, double wrapAt) {
    if (!Double.isFinite(value)) {
      return OptionalDouble.empty();
    }
    Last previous = last.put(seriesKey, new Last(value, timeMillis, startMillis));
    if (previous == null || timeMillis <= previous.timeMillis) {
      if (previous != null && timeMillis < previous.timeMillis) {
        last.put(seriesKey, previous); // out-of-order sample: keep the newer state
      }
      return OptionalDouble.empty();
    }
    double seconds = (timeMillis - previous.timeMillis) / 1000.0;
    boolean restarted = startMillis != 0 && previous.startMillis != 0 && startMillis != previous.startMillis;
    double delta;
    if (restarted) {
      delta = value;
      if (startMillis > previous.timeMillis && startMillis < timeMillis) {
        seconds = (timeMillis - startMillis) / 1000.0;
      }
    } else if (value >= previous.value) {
      delta = value - previous.value;
    } else if (wrapAt > 0 && previous.value < wrapAt && (wrapAt - previous.value + value) < wrapAt / 2) {
      delta = wrapAt - previous.value + value;
    } else {
      delta = value;
    }
    return OptionalDouble.of(delta / seconds);
  }

  /** Forgets a series (e.g. a disappeared network interface). */
  public void forget(String seriesKey) {
    last.remove(seriesKey);
  }

  /** Forgets every series (the source restarted, e.g. the host rebooted). */
  public void clear() {
    last.clear();
  }

  public int size() {
    return last.size();
  }
}
