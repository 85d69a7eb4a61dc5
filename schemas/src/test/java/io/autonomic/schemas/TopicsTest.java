package io.autonomic.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldListEveryTopicOfTheContractOnce() {
    assertThat(Topics.ALL).extracting(Topic::name).containsExactly("telemetry.metrics", "telemetry.logs",
        "telemetry.raw.otlp", "telemetry.raw.influx", "telemetry.raw.json", "telemetry.dlq", "anomalies",
        "incidents", "actions", "action-results", "remediation.audit", "models", "remediator.state", "approvals");
  }

  @Test
  void shouldGiveRawTopicsNoValueClassAndCompactOnlyModelsAndState() {
    assertThat(Topics.ALL).filteredOn(Topic::raw).extracting(Topic::name).containsExactly("telemetry.raw.otlp",
        "telemetry.raw.influx", "telemetry.raw.json", "remediator.state");
    assertThat(Topics.ALL).filteredOn(Topic::compacted).extracting(Topic::name)
        .containsExactly("models", "remediator.state");
    assertThat(Topics.MODELS.topicConfigs()).isEqualTo(Map.of("cleanup.policy", "compact"));
    assertThat(Topics.METRICS.topicConfigs()).isEmpty();
  }

  @Test
  void shouldDescribeValueSchemaAndSubject() {
    assertThat(Topics.get("telemetry.metrics").valueSchema()).isEqualTo(MetricPoint.getClassSchema());
    assertThat(Topics.MODELS.valueClass()).isEqualTo(ModelUpdate.class);
    assertThat(Topics.METRICS.valueSubject()).isEqualTo("telemetry.metrics-value");
    assertThat(Topics.ALL).allSatisfy(t -> assertThat(t.description()).isNotBlank().doesNotContain("\n"));
  }

  @Test
  void shouldNameKnownTopicsWhenAskedForAnUnknownOne() {
    assertThat(Topics.byName("metrics")).isEmpty();
    assertThatThrownBy(() -> Topics.get("metrics")).hasMessageContaining("unknown topic 'metrics'")
        .hasMessageContaining("telemetry.metrics");
  }
}
