package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowAggregatorTest {
  static final long MINUTE = 60_000;

  @Test
  void emitsTheDetectorsFeaturesOnceTheWatermarkPassesTheWindowEnd() {
    WindowAggregator w = new WindowAggregator(MINUTE, 5_000);
    w.add("web-1", "cpu", Map.of(), 10_000, 1);
    w.add("web-1", "cpu", Map.of(), 50_000, 3);
    w.add("web-1", "mem", Map.of(), 20_000, 7);
    w.add("web-1", "cpu", Map.of(), MINUTE + 4_000, 5); // watermark 59s: the first window is still open
    assertThat(w.drain()).isEmpty();

    w.add("web-1", "cpu", Map.of(), MINUTE + 6_000, 5); // watermark 61s
    List<SeriesFeatures> closed = w.drain();

    SeriesFeatures expected = new FeatureAccumulator().add("web-1", "cpu", Map.of(), 10_000, 1)
        .add("web-1", "cpu", Map.of(), 50_000, 3).toFeatures(0, MINUTE);
    assertThat(closed).hasSize(2).first().isEqualTo(expected);
    assertThat(closed.get(1).metric).isEqualTo("mem");

    w.add("web-1", "cpu", Map.of(), 30_000, 9); // its window was emitted: late
    assertThat(w.latePoints()).isEqualTo(1);
    assertThat(w.points()).isEqualTo(5);
    assertThat(w.flush()).singleElement().satisfies(f -> {
      assertThat(f.windowStart).isEqualTo(MINUTE);
      assertThat(f.count).isEqualTo(2);
    });
  }

  @Test
  void historyBuildsSeriesAndEntityRows() {
    WindowAggregator w = new WindowAggregator(MINUTE, 0);
    for (int i = 0; i < 5; i++) {
      w.add("web-1", "cpu", Map.of(), i * MINUTE, i);
      if (i != 2) {
        w.add("web-1", "mem", Map.of(), i * MINUTE, 10 + i);
      }
    }
    WindowHistory h = new WindowHistory(4);
    h.addAll(w.flush());

    TrainingSet cpu = h.seriesSet("web-1", "cpu", List.of("mean", "count"));
    assertThat(cpu.windows()).isEqualTo(4); // capacity drops the oldest
    assertThat(cpu.rows().get(0)).containsExactly(1, 1);
    assertThat(cpu.modelKey()).isEqualTo("lstm-autoencoder/web-1/cpu");
    assertThat(cpu.from()).isEqualTo(MINUTE);
    assertThat(cpu.to()).isEqualTo(5 * MINUTE);

    List<String> names = h.entityFeatures("web-1", List.of("mean"));
    assertThat(names).containsExactly("cpu:mean", "mem:mean");
    TrainingSet entity = h.entitySet("web-1", names);
    assertThat(entity.modelKey()).isEqualTo("dense-autoencoder/web-1");
    assertThat(entity.rows()).hasSize(5); // cpu's minute 0 is gone, mem's is kept
    assertThat(entity.rows().get(0)[0]).isNaN();
    assertThat(entity.rows().get(2)[0]).isEqualTo(2);
    assertThat(entity.rows().get(2)[1]).isNaN(); // mem has no window at minute 2
  }
}
