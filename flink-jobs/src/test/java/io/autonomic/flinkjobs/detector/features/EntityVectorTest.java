package io.autonomic.flinkjobs.detector.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityVectorTest {
  @Test
  void flattensSeriesInMetricOrder() {
    SeriesFeatures mem = features("mem", 2.0);
    SeriesFeatures cpu = features("cpu", 1.0);

    EntityVector v = new EntityVector("h1", 0, 60_000, List.of(mem, cpu));

    assertThat(v.names()).hasSize(2 * SeriesFeatures.NAMES.length).startsWith("cpu:count", "cpu:mean");
    assertThat(v.names()[SeriesFeatures.NAMES.length + 1]).isEqualTo("mem:mean");
    assertThat(v.values()[1]).isEqualTo(1.0);
    assertThat(v.values()[SeriesFeatures.NAMES.length + 1]).isEqualTo(2.0);
  }

  private static SeriesFeatures features(String metric, double mean) {
    SeriesFeatures f = new SeriesFeatures();
    f.entityId = "h1";
    f.metric = metric;
    f.count = 1;
    f.mean = mean;
    f.tags = Map.of();
    return f;
  }
}
