package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.flinkjobs.detector.anomaly.AnomalyEvents;
import io.autonomic.flinkjobs.detector.anomaly.FeatureScore;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Absent series, as Prometheus' {@code absent()} alerts: a series (the key) that produced windows regularly and
 * then produces none for {@code absentWindows} of ITS periods of event time is reported once, as an anomaly
 * event on its entity and metric with detector {@value #DETECTOR} and the feature {@code <metric>:absent}
 * (observed 0 points, expected the count of its last window), score 1. A replica that died or an agent that
 * stopped sends nothing, so no window of its series opens and no scorer can see it: only the gap can.
 *
 * <p>Each series has its own period: series report at their own pace (a simulated replica every tick, a host
 * agent every 10 s, a Prometheus scrape every 30 s) while the windows are one size for all. So the expected
 * period of a series is the median of its last {@value #GAPS} gaps between consecutive windows (window end to
 * window end), and never less than the window period. The median, not the largest gap: one missed scrape must
 * not double the time to notice a dead series, and one burst must not halve it.
 *
 * <p>Event time drives it: each window of a regular series moves a timer to
 * {@code lastWindowEnd + absentWindows × expectedPeriod}; the timer fires only when the watermark, moved by the
 * other series, passes that point. So a whole pipeline without input (all partitions idle) reports nothing, and
 * neither does the end of a finite input (the final {@code Long.MAX_VALUE} watermark ends the stream, it does not
 * make every series absent). "Regular" means at least {@code minWindows} windows seen; before that a series only
 * learns its gaps and has no deadline (state TTL drops one that never becomes regular). After the report the
 * series' state is cleared: if it comes back it learns its period again, and a series that is gone for good
 * leaves nothing behind.
 */
public final class AbsentSeriesFunction extends KeyedProcessFunction<String, SeriesFeatures, AnomalyEvent> {
  private static final long serialVersionUID = 1L;
  /** The detector name on the events. */
  public static final String DETECTOR = "absent";
  /** The feature named in the events' contributions ({@code <metric>:absent}). */
  public static final String FEATURE = "absent";
  /** Gaps between windows remembered per series for its expected period. */
  public static final int GAPS = 9;

  private final int absentWindows;
  private final int minWindows;
  private final long periodMillis;
  private final double threshold;
  private final Duration stateTtl;
  private final Clock clock;
  private transient ValueState<SeriesFeatures> last;
  private transient ValueState<Long> seen;
  private transient ValueState<long[]> gaps;
  private transient ValueState<Long> deadline;
  private transient Counter reported;

  /**
   * @param absentWindows the series' own periods without a window before it is reported
   * @param minWindows    windows a series must have produced to be expected
   * @param period        the window period (the slide of sliding windows, else the size): the shortest period
   *                      a series can have
   * @param threshold     the detector's threshold, carried on the event
   * @param stateTtl      state of a series not updated for this long is dropped
   * @param clock         for the events' detection time
   */
  public AbsentSeriesFunction(int absentWindows, int minWindows, Duration period, double threshold,
      Duration stateTtl, Clock clock) {
    if (absentWindows < 1 || minWindows < 1 || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("absentWindows and minWindows must be at least 1, period positive");
    }
    this.absentWindows = absentWindows;
    this.minWindows = minWindows;
    this.periodMillis = period.toMillis();
    this.threshold = threshold;
    this.stateTtl = stateTtl;
    this.clock = clock;
  }

  @Override
  public void open(OpenContext ctx) {
    StateTtlConfig ttl = StateTtlConfig.newBuilder(stateTtl).build();
    ValueStateDescriptor<SeriesFeatures> lastDescriptor = new ValueStateDescriptor<>("absent-last-window",
        TypeInformation.of(SeriesFeatures.class));
    lastDescriptor.enableTimeToLive(ttl);
    ValueStateDescriptor<Long> seenDescriptor = new ValueStateDescriptor<>("absent-windows-seen", Types.LONG);
    seenDescriptor.enableTimeToLive(ttl);
    ValueStateDescriptor<long[]> gapsDescriptor = new ValueStateDescriptor<>("absent-window-gaps",
        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    gapsDescriptor.enableTimeToLive(ttl);
    ValueStateDescriptor<Long> deadlineDescriptor = new ValueStateDescriptor<>("absent-deadline", Types.LONG);
    deadlineDescriptor.enableTimeToLive(ttl);
    last = getRuntimeContext().getState(lastDescriptor);
    seen = getRuntimeContext().getState(seenDescriptor);
    gaps = getRuntimeContext().getState(gapsDescriptor);
    deadline = getRuntimeContext().getState(deadlineDescriptor);
    reported = getRuntimeContext().getMetricGroup().counter("absentSeriesReported");
  }

  @Override
  public void processElement(SeriesFeatures f, Context ctx, Collector<AnomalyEvent> out) throws Exception {
    SeriesFeatures previous = last.value();
    long[] recent = gaps.value();
    if (previous != null) {
      if (f.windowEnd <= previous.windowEnd) {
        return; // a re-fired (late) window: the series was there all along
      }
      recent = remember(recent, f.windowEnd - previous.windowEnd);
      gaps.update(recent);
    }
    Long timer = deadline.value();
    if (timer != null) {
      ctx.timerService().deleteEventTimeTimer(timer);
      deadline.clear();
    }
    Long n = seen.value();
    long windows = n == null ? 1 : n + 1;
    seen.update(windows);
    SeriesFeatures copy = new SeriesFeatures();
    copy.entityId = f.entityId;
    copy.metric = f.metric;
    copy.windowStart = f.windowStart;
    copy.windowEnd = f.windowEnd;
    copy.count = f.count;
    copy.tags = f.tags;
    last.update(copy);
    if (windows >= minWindows) {
      long at = f.windowEnd + absentWindows * expectedPeriod(recent, periodMillis) - 1;
      ctx.timerService().registerEventTimeTimer(at);
      deadline.update(at);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnomalyEvent> out) throws Exception {
    Long due = deadline.value();
    if (due == null || due != timestamp) {
      return; // not the series' current deadline: a timer restored from a checkpoint taken before it was stored
    }
    SeriesFeatures l = last.value();
    Long n = seen.value();
    boolean inputEnded = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
    if (l != null && n != null && n >= minWindows && !inputEnded) {
      WindowScore s = new WindowScore();
      s.score = 1.0;
      s.warmedUp = true;
      s.detector = DETECTOR;
      s.features = List.of(new FeatureScore(FEATURE, 0, l.count, 1.0));
      out.collect(AnomalyEvents.of(l.entityId, l.metric, l.windowEnd, timestamp + 1, s, threshold, 1, l.tags,
          clock.instant()));
      reported.inc();
    }
    last.clear();
    seen.clear();
    gaps.clear();
    deadline.clear();
  }

  /**
   * The period a series is expected to report at: the median of its recent gaps between windows, at least the
   * window period (and the window period while no gap is known).
   */
  static long expectedPeriod(long[] recentGaps, long windowPeriod) {
    if (recentGaps == null || recentGaps.length == 0) {
      return windowPeriod;
    }
    long[] sorted = recentGaps.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    long median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return Math.max(windowPeriod, median);
  }

  /** {@code recent} with {@code gap} appended, the oldest dropped beyond {@value #GAPS}. */
  private static long[] remember(long[] recent, long gap) {
    if (recent == null) {
      return new long[] {gap};
    }
    int keep = Math.min(recent.length, GAPS - 1);
    long[] next = Arrays.copyOfRange(recent, recent.length - keep, recent.length + 1);
    next[keep] = gap;
    return next;
  }
}
