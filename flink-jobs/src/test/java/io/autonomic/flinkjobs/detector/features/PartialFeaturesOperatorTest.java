package io.autonomic.flinkjobs.detector.features;

import static io.autonomic.flinkjobs.detector.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.DetectorJob;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PartialFeaturesOperatorTest {
  private static final long MINUTE = 60_000;

  @Test
  void foldsEachSeriesAndWindowIntoOnePartialEmittedBeforeTheWatermark() throws Exception {
    try (OneInputStreamOperatorTestHarness<MetricPoint, FeatureAccumulator> h = harness(MINUTE, MINUTE, 0)) {
      h.processElement(at(point("h1", "cpu", 1_000, 1)));
      h.processElement(at(point("h1", "cpu", 2_000, 3)));
      h.processElement(at(point("h1", "mem", 3_000, 7)));
      h.processElement(at(point("h1", "cpu", MINUTE + 1_000, 5))); // the next window: its own partial
      assertThat(h.getOutput()).isEmpty(); // nothing before a watermark

      h.processWatermark(new Watermark(10_000));

      List<Object> out = List.copyOf(h.getOutput());
      assertThat(out.get(out.size() - 1)).isEqualTo(new Watermark(10_000)); // partials first, then the watermark
      assertThat(partials(h)).containsExactlyInAnyOrder("h1/cpu@2000 n=2 mean=2.0", "h1/mem@3000 n=1 mean=7.0",
          "h1/cpu@61000 n=1 mean=5.0");
    }
  }

  @Test
  void pointsOfClosedWindowsGoToTheLateOutputUnchanged() throws Exception {
    try (OneInputStreamOperatorTestHarness<MetricPoint, FeatureAccumulator> h = harness(MINUTE, MINUTE, 5_000)) {
      h.processWatermark(new Watermark(MINUTE + 4_000));
      MetricPoint allowed = point("h1", "cpu", 30_000, 1); // window [0, 60 s) + 5 s lateness still open
      h.processElement(at(allowed));
      h.processWatermark(new Watermark(MINUTE + 5_000));
      MetricPoint late = point("h1", "cpu", 40_000, 2); // now closed
      h.processElement(at(late));
      h.endInput();

      assertThat(h.getSideOutput(DetectorJob.LATE)).extracting(StreamRecord::getValue).containsExactly(late);
      assertThat(partials(h)).containsExactly("h1/cpu@30000 n=1 mean=1.0");
    }
  }

  @Test
  void slidingWindowsAreFoldedByPanesThatBelongToTheSameWindows() throws Exception {
    // 60 s windows every 40 s: panes of gcd = 20 s, so 10 s and 25 s are apart, 25 s and 35 s together
    try (OneInputStreamOperatorTestHarness<MetricPoint, FeatureAccumulator> h = harness(MINUTE, 40_000, 0)) {
      h.processElement(at(point("h1", "cpu", 10_000, 1)));
      h.processElement(at(point("h1", "cpu", 25_000, 2)));
      h.processElement(at(point("h1", "cpu", 35_000, 4)));
      h.prepareSnapshotPreBarrier(1); // a checkpoint flushes too: nothing is held across it
      assertThat(partials(h)).containsExactlyInAnyOrder("h1/cpu@10000 n=1 mean=1.0", "h1/cpu@35000 n=2 mean=3.0");
    }
  }

  @Test
  void flushesWhenTooManyPartialsAreOpen() throws Exception {
    try (OneInputStreamOperatorTestHarness<MetricPoint, FeatureAccumulator> h = harness(MINUTE, MINUTE, 0)) {
      for (int round = 0; round < 2; round++) { // many series share a shortcut slot: each keeps its own partial
        for (int i = 0; i < PartialFeaturesOperator.MAX_OPEN - 1; i++) {
          h.processElement(at(point("h" + i, "cpu", 1_000 + round, i)));
        }
      }
      assertThat(h.getOutput()).isEmpty();
      h.processElement(at(point("last", "cpu", 1_000, 0)));
      List<String> out = partials(h);
      assertThat(out).hasSize(PartialFeaturesOperator.MAX_OPEN).doesNotHaveDuplicates()
          .contains("h0/cpu@1001 n=2 mean=0.0", "h9998/cpu@1001 n=2 mean=9998.0", "last/cpu@1000 n=1 mean=0.0");
      assertThat(out.stream().filter(x -> !x.startsWith("last")).allMatch(x -> x.contains(" n=2 "))).isTrue();
    }
  }

  private static OneInputStreamOperatorTestHarness<MetricPoint, FeatureAccumulator> harness(long size, long slide,
      long lateness) throws Exception {
    OneInputStreamOperatorTestHarness<MetricPoint, FeatureAccumulator> h = new OneInputStreamOperatorTestHarness<>(
        new PartialFeaturesOperator(size, slide, lateness, DetectorJob.LATE));
    h.open();
    return h;
  }

  private static StreamRecord<MetricPoint> at(MetricPoint p) {
    return new StreamRecord<>(p, p.getEventTime().toEpochMilli());
  }

  @SuppressWarnings("unchecked")
  private static List<String> partials(OneInputStreamOperatorTestHarness<MetricPoint, FeatureAccumulator> h) {
    return h.getOutput().stream().filter(o -> o instanceof StreamRecord<?>)
        .map(o -> (StreamRecord<FeatureAccumulator>) o)
        .map(r -> {
          SeriesFeatures f = r.getValue().toFeatures(0, 1);
          return f.entityId + "/" + f.metric + "@" + r.getTimestamp() + " n=" + f.count + " mean=" + f.mean;
        })
        .collect(Collectors.toList());
  }
}
