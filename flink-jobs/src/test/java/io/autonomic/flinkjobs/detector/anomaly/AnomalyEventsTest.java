package io.autonomic.flinkjobs.detector.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnomalyEventsTest {
  private static final Instant NOW = Instant.parse("2026-11-01T00:02:00Z");

  @Test
  void carriesTheWindowScoreThresholdModelsAndTopFeatures() {
    WindowScore s = new WindowScore();
    s.score = 0.97;
    s.warmedUp = true;
    s.detector = "combined";
    s.modelVersions.put("combined", 1L);
    s.features = List.of(new FeatureScore("max", 50, 10, 0.97), new FeatureScore("mean", 14, 10, 0.6),
        new FeatureScore("std", 2, Double.NaN, 0.2));

    AnomalyEvent e = AnomalyEvents.of("h1", "cpu", 0, 60_000, s, 0.9, 2, Map.of("service", "checkout"), NOW);

    assertThat(e.getEntityId()).isEqualTo("h1");
    assertThat(e.getMetric()).isEqualTo("cpu");
    assertThat(e.getWindowStart()).isEqualTo(Instant.EPOCH);
    assertThat(e.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(60_000));
    assertThat(e.getScore()).isEqualTo(0.97);
    assertThat(e.getThreshold()).isEqualTo(0.9);
    assertThat(e.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(e.getModelVersions()).containsEntry("combined", 1L);
    assertThat(e.getTags()).containsEntry("service", "checkout");
    assertThat(e.getDetectedAt()).isEqualTo(NOW);
    assertThat(e.getContributions()).extracting(FeatureContribution::getFeature).containsExactly("cpu:max", "cpu:mean");
    assertThat(e.getContributions().get(0).getExpected()).isEqualTo(10.0);
    assertThat(e.getContributions().stream().mapToDouble(FeatureContribution::getContribution).sum())
        .isLessThanOrEqualTo(1.0);
  }

  @Test
  void sameWindowGivesTheSameEventId() {
    assertThat(AnomalyEvents.eventId("combined", "h1", "cpu", 0, 60_000))
        .isEqualTo(AnomalyEvents.eventId("combined", "h1", "cpu", 0, 60_000))
        .isNotEqualTo(AnomalyEvents.eventId("combined", "h1", null, 0, 60_000))
        .isNotEqualTo(AnomalyEvents.eventId("combined", "h1", "cpu", 60_000, 120_000));
  }

  @Test
  void severityRisesFromTheThresholdToOne() {
    assertThat(AnomalyEvents.severity(0.9, 0.9)).isEqualTo(Severity.LOW);
    assertThat(AnomalyEvents.severity(0.94, 0.9)).isEqualTo(Severity.MEDIUM);
    assertThat(AnomalyEvents.severity(0.97, 0.9)).isEqualTo(Severity.HIGH);
    assertThat(AnomalyEvents.severity(1.0, 0.9)).isEqualTo(Severity.CRITICAL);
  }
}
