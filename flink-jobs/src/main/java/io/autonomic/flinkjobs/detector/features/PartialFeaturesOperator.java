package io.autonomic.flinkjobs.detector.features;

import io.autonomic.avro.MetricPoint;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Local pre-aggregation before the keyed windows: folds the points of each series and pane (the stretch of event
 * time whose points all belong to the same windows: the window for tumbling windows, gcd(size, slide) for sliding
 * ones) into a partial {@link FeatureAccumulator}, and emits the partials, each stamped with its latest point's
 * timestamp (so it lands in the same windows as its points), whenever a watermark arrives (before forwarding it), before a checkpoint barrier, at the end of input and
 * when {@link #MAX_OPEN} partials are open. The keyed windows then merge a few partials per series instead of
 * every point, which spares the per-point serialization, network hand-off, state access and timer of the keyed
 * window operator (FeatureExtractionBench, docs/benchmarks.md). Nothing is kept across checkpoints: every partial
 * is emitted before the barrier.
 *
 * <p>Lateness is decided here, as the window operator would: a point whose last window's end plus the allowed
 * lateness is at or before the current watermark goes to {@code late} unchanged. A partial emitted before the
 * watermark that follows it cannot be late downstream, whose watermark is never ahead of this one's; only an
 * input that went idle and came back can deliver one (handled as a late partial by the caller).
 */
public final class PartialFeaturesOperator extends AbstractStreamOperator<FeatureAccumulator>
    implements OneInputStreamOperator<MetricPoint, FeatureAccumulator>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  /** Open partials that force a flush: bounds memory between watermarks (~1 KB each). */
  static final int MAX_OPEN = 10_000;
  private static final int SLOTS = 1 << 14;

  private final long windowSize;
  private final long windowSlide;
  private final long pane;
  private final long allowedLateness;
  private final OutputTag<MetricPoint> late;

  private transient Map<String, Partial> open;
  // identity-keyed shortcut to the series key and to open.get: the decoder interns entity and metric, so a series'
  // next point usually brings the same two instances (a key and a hash map lookup per point showed in the profile).
  // While a slot holds a series, slotPartial is that series' entry in open (null when it has none).
  private transient String[] slotEntity;
  private transient String[] slotMetric;
  private transient String[] slotKey;
  private transient Partial[] slotPartial;
  private transient int openCount;
  private transient long watermark;

  /** One partial of a series; more than one only while points of an earlier pane still arrive. */
  private static final class Partial {
    final long paneStart;
    final FeatureAccumulator acc = new FeatureAccumulator();
    long maxTimestamp = Long.MIN_VALUE;
    Partial next;

    Partial(long paneStart, Partial next) {
      this.paneStart = paneStart;
      this.next = next;
    }
  }

  /** Tumbling windows when {@code windowSlide} equals {@code windowSize}. Times in milliseconds. */
  public PartialFeaturesOperator(long windowSize, long windowSlide, long allowedLateness,
      OutputTag<MetricPoint> late) {
    this.windowSize = windowSize;
    this.windowSlide = windowSlide;
    this.pane = gcd(windowSize, windowSlide);
    this.allowedLateness = allowedLateness;
    this.late = late;
  }

  @Override
  public void open() throws Exception {
    super.open();
    open = new HashMap<>();
    slotEntity = new String[SLOTS];
    slotMetric = new String[SLOTS];
    slotKey = new String[SLOTS];
    slotPartial = new Partial[SLOTS];
    watermark = Long.MIN_VALUE;
  }

  @Override
  public void processElement(StreamRecord<MetricPoint> record) throws Exception {
    MetricPoint p = record.getValue();
    long t = record.getTimestamp();
    long lastWindowEnd = TimeWindow.getWindowStartWithOffset(t, 0, windowSlide) + windowSize;
    if (lastWindowEnd - 1 + allowedLateness <= watermark) {
      output.collect(late, record);
      return;
    }
    long paneStart = TimeWindow.getWindowStartWithOffset(t, 0, pane);
    String entity = p.getEntityId();
    String metric = p.getMetric();
    int h = System.identityHashCode(entity) * 31 + System.identityHashCode(metric);
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    if (slotEntity[slot] != entity || slotMetric[slot] != metric) { // another series had the slot
      String key = SeriesFeatures.seriesKey(entity, metric);
      slotEntity[slot] = entity;
      slotMetric[slot] = metric;
      slotKey[slot] = key;
      slotPartial[slot] = open.get(key);
    }
    Partial first = slotPartial[slot];
    Partial partial = first;
    while (partial != null && partial.paneStart != paneStart) {
      partial = partial.next;
    }
    if (partial == null) {
      partial = new Partial(paneStart, first);
      open.put(slotKey[slot], partial);
      openCount++;
      slotPartial[slot] = partial;
    }
    partial.acc.add(p.getEntityId(), p.getMetric(), p.getTags(), p.getEventTime().toEpochMilli(), p.getValue());
    partial.maxTimestamp = Math.max(partial.maxTimestamp, t);
    if (openCount >= MAX_OPEN) {
      flush();
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    watermark = mark.getTimestamp();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public void endInput() {
    flush();
  }

  private void flush() {
    if (openCount == 0) {
      return;
    }
    StreamRecord<FeatureAccumulator> out = new StreamRecord<>(null);
    for (Partial partial : open.values()) {
      for (; partial != null; partial = partial.next) {
        if (partial.acc.count() > 0) { // points with non-finite values count nothing
          output.collect(out.replace(partial.acc, partial.maxTimestamp));
        }
      }
    }
    open.clear();
    Arrays.fill(slotPartial, null);
    openCount = 0;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
