package io.autonomic.flinkjobs.detector.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Map;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FeatureAccumulatorTest {
  private static final Map<String, String> TAGS = Map.of("service", "checkout");

  @Test
  void computesEveryFeatureOfAWindow() {
    FeatureAccumulator acc = new FeatureAccumulator();
    // event times out of order: the last point by event time is 1_000 -> 5.0
    acc.add("h1", "cpu", TAGS, 0, 1.0);
    acc.add("h1", "cpu", TAGS, 1_000, 5.0);
    acc.add("h1", "cpu", TAGS, 500, 3.0);

    SeriesFeatures f = acc.toFeatures(0, 60_000);

    assertThat(f.entityId).isEqualTo("h1");
    assertThat(f.metric).isEqualTo("cpu");
    assertThat(f.windowStart).isZero();
    assertThat(f.windowEnd).isEqualTo(60_000);
    assertThat(f.count).isEqualTo(3);
    assertThat(f.mean).isCloseTo(3.0, within(1e-12));
    assertThat(f.std).isCloseTo(2.0, within(1e-12));
    assertThat(f.min).isEqualTo(1.0);
    assertThat(f.max).isEqualTo(5.0);
    assertThat(f.last).isEqualTo(5.0);
    assertThat(f.rate).isCloseTo(4.0, within(1e-12)); // (5 - 1) over one second
    assertThat(f.p50).isCloseTo(3.0, withinPercentage(1));
    assertThat(f.tags).isEqualTo(TAGS);
  }

  @Test
  void quantilesComeFromTheSketchWithinOnePercent() {
    FeatureAccumulator acc = new FeatureAccumulator();
    for (int i = 0; i < 10_000; i++) {
      acc.add("h1", "lat", TAGS, i, i % 1000);
    }
    SeriesFeatures f = acc.toFeatures(0, 10_000);
    assertThat(f.p50).isCloseTo(500, within(10.0));
    assertThat(f.p95).isCloseTo(950, within(10.0));
    assertThat(f.p99).isCloseTo(990, within(10.0));
  }

  @Test
  void quantilesAreRelativeToTheValueAcrossSignsAndMagnitudes() {
    FeatureAccumulator acc = new FeatureAccumulator();
    for (int i = 0; i < 1000; i++) { // -1000 .. -1, 0, 1e-3 .. 1e6 on a log scale
      acc.add("h1", "lat", TAGS, i, i < 400 ? -(400 - i) * 2.5 : i == 400 ? 0 : Math.pow(10, -3 + 9.0 * (i - 401) / 598));
    }
    SeriesFeatures f = acc.toFeatures(0, 1000);
    assertThat(f.p50).isCloseTo(Math.pow(10, -3 + 9.0 * 98 / 598), withinPercentage(1)); // rank 499 of 0..999
    assertThat(f.p99).isCloseTo(Math.pow(10, -3 + 9.0 * 588 / 598), withinPercentage(1)); // rank 989
    FeatureAccumulator negative = new FeatureAccumulator();
    for (int i = 1; i <= 100; i++) {
      negative.add("h1", "delta", TAGS, i, -i);
    }
    assertThat(negative.toFeatures(0, 100).p50).isCloseTo(-51, withinPercentage(1)); // rank 49.5 of -100 .. -1
  }

  @Test
  void quantilesNeverLieOutsideTheExactMinAndMax() {
    FeatureAccumulator acc = new FeatureAccumulator();
    acc.add("h1", "cpu", TAGS, 0, 42.0);
    SeriesFeatures f = acc.toFeatures(0, 10);
    assertThat(f.p50).isEqualTo(42.0);
    assertThat(f.p99).isEqualTo(42.0);
  }

  @Test
  void mergingTwoHalvesEqualsAddingEverything() {
    Random random = new Random(7);
    FeatureAccumulator all = new FeatureAccumulator();
    FeatureAccumulator a = new FeatureAccumulator();
    FeatureAccumulator b = new FeatureAccumulator();
    for (int i = 0; i < 1000; i++) {
      double v = random.nextGaussian() * 3 + 10;
      all.add("h1", "cpu", TAGS, i, v);
      (i % 2 == 0 ? a : b).add("h1", "cpu", TAGS, i, v);
    }
    SeriesFeatures merged = a.merge(b).toFeatures(0, 1000);
    SeriesFeatures direct = all.toFeatures(0, 1000);
    assertThat(merged.count).isEqualTo(direct.count);
    assertThat(merged.mean).isCloseTo(direct.mean, within(1e-9));
    assertThat(merged.std).isCloseTo(direct.std, within(1e-9));
    assertThat(merged.last).isEqualTo(direct.last);
    assertThat(merged.rate).isCloseTo(direct.rate, within(1e-9));
    assertThat(merged.p95).isEqualTo(direct.p95); // a sketch merge adds bin counts: nothing is lost
  }

  @Test
  void ignoresNonFiniteValues() {
    FeatureAccumulator acc = new FeatureAccumulator();
    acc.add("h1", "cpu", TAGS, 0, Double.NaN);
    acc.add("h1", "cpu", TAGS, 1, 2.0);
    assertThat(acc.toFeatures(0, 10).count).isEqualTo(1);
  }

  @Test
  void serializerRoundTripsTheStateIncludingTheSketch() throws Exception {
    FeatureAccumulator acc = new FeatureAccumulator();
    for (int i = 0; i < 500; i++) {
      acc.add("h1", "cpu", TAGS, i, i);
    }
    DataOutputSerializer out = new DataOutputSerializer(256);
    FeatureAccumulatorSerializer.INSTANCE.serialize(acc, out);
    FeatureAccumulator copy = FeatureAccumulatorSerializer.INSTANCE
        .deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

    assertThat(copy.toFeatures(0, 500)).isEqualTo(acc.toFeatures(0, 500));
  }
}
