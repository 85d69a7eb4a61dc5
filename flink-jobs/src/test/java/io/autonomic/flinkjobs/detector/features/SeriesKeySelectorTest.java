package io.autonomic.flinkjobs.detector.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.TestPoints;
import org.junit.jupiter.api.Test;

class SeriesKeySelectorTest {
  @Test
  void givesTheSeriesKeyAndReusesItForTheSameInstances() {
    SeriesKeySelector keys = new SeriesKeySelector();
    MetricPoint a = TestPoints.point("host-1", "cpu", TestPoints.T0, 1);
    MetricPoint b = TestPoints.point(a.getEntityId(), a.getMetric(), TestPoints.T0, 2);
    String key = keys.getKey(a);
    assertThat(key).isEqualTo(SeriesFeatures.seriesKey("host-1", "cpu"));
    assertThat(keys.getKey(b)).isSameAs(key);
  }

  @Test
  void equalStringsThatAreOtherInstancesGiveAnEqualKey() {
    SeriesKeySelector keys = new SeriesKeySelector();
    String key = keys.getKey(TestPoints.point(new String("host-1"), new String("cpu"), TestPoints.T0, 1));
    assertThat(keys.getKey(TestPoints.point(new String("host-1"), new String("cpu"), TestPoints.T0, 1)))
        .isEqualTo(key);
    assertThat(keys.getKey(TestPoints.point("host-1", "mem", TestPoints.T0, 1)))
        .isEqualTo(SeriesFeatures.seriesKey("host-1", "mem"));
  }
}
