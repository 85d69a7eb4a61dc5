package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.flinkjobs.detector.anomaly.AnomalyEvents;
import io.autonomic.flinkjobs.detector.anomaly.FeatureScore;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Absent series, as Prometheus' {@code absent()} alerts: a series (the key) that produced a window regularly and
 * then produces none for {@code absentWindows} window periods of event time is reported once, as an anomaly
 * event on its entity and metric with detector {@value #DETECTOR} and the feature {@code <metric>:absent}
 * (observed 0 points, expected the count of its last window), score 1. A replica that died or an agent that
 * stopped sends nothing, so no window of its series opens and no scorer can see it: only the gap can.
 *
 * <p>Event time drives it: each window moves a timer to {@code lastWindowEnd + absentWindows × period}; the timer
 * fires only when the watermark, moved by the other series, passes that point. So a whole pipeline without
 * input (all partitions idle) reports nothing, and neither does the end of a finite input (the final
 * {@code Long.MAX_VALUE} watermark ends the stream, it does not make every series absent). "Regular" means at
 * least {@code minWindows} windows seen. After the report the series' state is cleared: if it comes back it
 * starts over, and a series that is gone for good leaves nothing behind (state TTL covers the rest).
 */
public final class AbsentSeriesFunction extends KeyedProcessFunction<String, SeriesFeatures, AnomalyEvent> {
  private static final long serialVersionUID = 1L;
  /** The detector name on the events. */
  public static final String DETECTOR = "absent";
  /** The feature named in the events' contributions ({@code <metric>:absent}). */
  public static final String FEATURE = "absent";

  private final int absentWindows;
  private final int minWindows;
  private final long periodMillis;
  private final double threshold;
  private final Duration stateTtl;
  private final Clock clock;
  private transient ValueState<SeriesFeatures> last;
  private transient ValueState<Long> seen;
  private transient Counter reported;

  /**
   * @param absentWindows window periods without a window before the series is reported
   * @param minWindows    windows a series must have produced to be expected
   * @param period        the window period (the slide of sliding windows, else the size)
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
    last = getRuntimeContext().getState(lastDescriptor);
    seen = getRuntimeContext().getState(seenDescriptor);
    reported = getRuntimeContext().getMetricGroup().counter("absentSeriesReported");
  }

  @Override
  public void processElement(SeriesFeatures f, Context ctx, Collector<AnomalyEvent> out) throws Exception {
    SeriesFeatures previous = last.value();
    if (previous != null) {
      if (f.windowEnd <= previous.windowEnd) {
        return; // a re-fired (late) window: the series was there all along
      }
      ctx.timerService().deleteEventTimeTimer(deadline(previous.windowEnd));
    }
    Long n = seen.value();
    seen.update(n == null ? 1 : n + 1);
    SeriesFeatures copy = new SeriesFeatures();
    copy.entityId = f.entityId;
    copy.metric = f.metric;
    copy.windowStart = f.windowStart;
    copy.windowEnd = f.windowEnd;
    copy.count = f.count;
    copy.tags = f.tags;
    last.update(copy);
    ctx.timerService().registerEventTimeTimer(deadline(f.windowEnd));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnomalyEvent> out) throws Exception {
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
  }

  /** The timer's time: the last millisecond of the {@code absentWindows}-th missing window. */
  private long deadline(long lastWindowEnd) {
    return lastWindowEnd + absentWindows * periodMillis - 1;
  }
}
