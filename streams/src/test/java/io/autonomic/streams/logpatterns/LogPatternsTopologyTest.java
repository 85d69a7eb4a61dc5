package io.autonomic.streams.logpatterns;

import static io.autonomic.streams.testing.Drivers.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.autonomic.avro.MetricPoint;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.common.AvroSerdes;
import io.autonomic.streams.testing.Drivers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogPatternsTopologyTest {
  static final LogPatternsSettings SETTINGS = new LogPatternsSettings(Duration.ofMinutes(1), Duration.ofSeconds(10),
      4, 0.4, 100, 1000);

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final AvroSerdes serdes = Drivers.serdes();
  TopologyTestDriver driver;
  TestInputTopic<String, LogRecord> logs;
  TestOutputTopic<String, MetricPoint> metrics;

  @BeforeEach
  void start() {
    driver = Drivers.driver(LogPatternsTopology.buildTopology(SETTINGS, serdes, meters));
    logs = driver.createInputTopic(Topics.LOGS.name(), new StringSerializer(), serdes.logRecord().serializer());
    metrics = driver.createOutputTopic(Topics.METRICS.name(), new StringDeserializer(),
        serdes.metricPoint().deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  static LogRecord log(String entity, Instant at, LogSeverity severity, String message) {
    return LogRecord.newBuilder().setEntityId(entity).setEventTime(at).setSeverity(severity).setMessage(message)
        .setAttributes(Map.of()).setEntityKind("pod").build();
  }

  void send(LogRecord log) {
    logs.pipeInput(log.getEntityId(), log, log.getEventTime());
  }

  double counter(String name) {
    var c = meters.find(name).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void countsMessagesPerEntityAndTemplateWhenTheWindowCloses() {
    send(log("pod-1", T0.plusSeconds(1), LogSeverity.INFO, "user 17 logged in from 10.0.0.1"));
    send(log("pod-1", T0.plusSeconds(5), LogSeverity.INFO, "user 42 logged in from 10.0.0.2"));
    send(log("pod-1", T0.plusSeconds(9), LogSeverity.INFO, "cache refreshed in 12 ms"));
    send(log("pod-2", T0.plusSeconds(20), LogSeverity.INFO, "user 7 logged in from 10.0.0.3"));
    assertThat(metrics.isEmpty()).isTrue(); // the window is still open
    send(log("pod-1", T0.plusSeconds(75), LogSeverity.INFO, "cache refreshed in 10 ms")); // closes [T0, T0+1m)

    List<MetricPoint> points = metrics.readValuesToList();
    assertThat(points).allSatisfy(p -> {
      assertThat(p.getMetric()).isEqualTo("log.template.count");
      assertThat(p.getEventTime()).isEqualTo(T0);
      assertThat(p.getSource()).isEqualTo("log-patterns");
      assertThat(p.getEntityKind()).isEqualTo("pod");
    });
    assertThat(points).extracting(p -> p.getEntityId() + "=" + p.getValue())
        .containsExactlyInAnyOrder("pod-1=2.0", "pod-1=1.0", "pod-2=1.0");
    String loginTemplate = points.stream().filter(p -> p.getValue() == 2.0).findFirst().orElseThrow().getTags()
        .get("template_id");
    assertThat(points.stream().filter(p -> p.getEntityId().equals("pod-2")).findFirst().orElseThrow().getTags())
        .containsEntry("template_id", loginTemplate);
    assertThat(counter("autonomic.log_patterns.records")).isEqualTo(5);
    assertThat(counter("autonomic.log_patterns.templates.created")).isEqualTo(2);
    assertThat(counter("autonomic.log_patterns.counts.out")).isEqualTo(3);
  }

  @Test
  void signalsANewTemplateAtWarnOrAboveAtOnce() {
    send(log("pod-1", T0.plusSeconds(1), LogSeverity.INFO, "request served in 12 ms"));
    send(log("pod-1", T0.plusSeconds(2), LogSeverity.ERROR, "connection pool exhausted after 30 s"));
    send(log("pod-1", T0.plusSeconds(3), LogSeverity.ERROR, "connection pool exhausted after 31 s"));

    List<MetricPoint> points = metrics.readValuesToList();
    assertThat(points).hasSize(1);
    MetricPoint signal = points.get(0);
    assertThat(signal.getMetric()).isEqualTo("log.template.new");
    assertThat(signal.getEntityId()).isEqualTo("pod-1");
    assertThat(signal.getEventTime()).isEqualTo(T0.plusSeconds(2));
    assertThat(signal.getTags()).containsEntry("severity", "ERROR")
        .containsEntry("pattern", "connection pool exhausted after <NUM> s").containsKey("template_id");
    assertThat(counter("autonomic.log_patterns.templates.new_at_warn")).isEqualTo(1);
  }

  @Test
  void keepsTheTemplateCatalogInAQueryableStore() {
    send(log("pod-1", T0.plusSeconds(1), LogSeverity.INFO, "user 17 logged in from 10.0.0.1"));
    send(log("pod-1", T0.plusSeconds(5), LogSeverity.INFO, "user 42 logged in from 10.0.0.2"));

    KeyValueStore<String, TemplateInfo> catalog = driver.getKeyValueStore(LogPatternsTopology.CATALOG_STORE);
    List<TemplateInfo> entries = new java.util.ArrayList<>();
    try (var it = catalog.all()) {
      it.forEachRemaining(kv -> entries.add(kv.value));
    }
    assertThat(entries).hasSize(1);
    TemplateInfo info = entries.get(0);
    assertThat(info.pattern()).isEqualTo("user <NUM> logged in from <IP>");
    assertThat(info.count()).isEqualTo(2);
    assertThat(info.firstSeen()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
    assertThat(info.lastSeen()).isEqualTo(T0.plusSeconds(5).toEpochMilli());
    assertThat(info.id()).startsWith("t");
  }
}
