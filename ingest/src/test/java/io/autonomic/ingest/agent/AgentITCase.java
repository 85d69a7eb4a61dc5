package io.autonomic.ingest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.schemas.Topics;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole agent against the real broker and registry: host metrics, OTLP in, logs tailed, own /metrics. */
@IntegrationStack
class AgentITCase {
  @TempDir
  Path tmp;

  @Test
  void agentPublishesHostOtlpAndLogTelemetryAndServesItsCounters(TestBroker broker, TestRegistry registry)
      throws Exception {
    broker.createTopic(Topics.METRICS.name(), Topics.METRICS.defaultPartitions());
    broker.createTopic(Topics.LOGS.name(), Topics.LOGS.defaultPartitions());
    Path log = tmp.resolve("app.log");
    Files.writeString(log, "{\"level\":\"error\",\"msg\":\"it-agent-log-line\"}\n");
    String agentId = broker.uniqueId("it-agent");
    Config config = ConfigLoader.load(null, List.of(
        "kafka.bootstrap.servers=" + broker.bootstrapServers(),
        "registry.url=" + registry.ccompatUrl(),
        "agent.id=" + agentId,
        "agent.metrics.port=0",
        "delivery.spool.dir=" + tmp.resolve("spool"),
        "collectors.host.interval=1s",
        "collectors.otlp.enabled=true",
        "collectors.otlp.host=127.0.0.1",
        "collectors.otlp.port=0",
        "collectors.logs.enabled=true",
        "collectors.logs.files=" + log,
        "collectors.logs.state.dir=" + tmp.resolve("logtail"),
        "collectors.logs.poll=200ms"));

    try (AgentApp agent = AgentApp.start(config, Clock.systemUTC())) {
      int otlpPort = agent.otlpPort();
      byte[] body;
      try (InputStream in = AgentITCase.class.getResourceAsStream("/otlp/metrics-collector.json")) {
        body = new String(in.readAllBytes()).replace("\"checkout\"", "\"" + agentId + "-svc\"").getBytes();
      }
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlpPort
          + "/v1/metrics")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).isEqualTo(200);

      Map<String, Object> props = new HashMap<>(ClientOptions.registryProperties(config));
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      props.put(ConsumerConfig.GROUP_ID_CONFIG, agentId);
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      AvroDeserializer<MetricPoint> values = AvroDeserializer.specific(MetricPoint.class);
      values.configure(props, false);
      List<MetricPoint> mine = new ArrayList<>();
      try (KafkaConsumer<String, MetricPoint> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
        consumer.subscribe(List.of(Topics.METRICS.name()));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          consumer.poll(Duration.ofMillis(300)).forEach(r -> {
            if (r.key().equals(agentId) || r.key().equals("shop/" + agentId + "-svc")) {
              mine.add(r.value());
            }
          });
          return mine.stream().anyMatch(p -> p.getMetric().equals("system.cpu.utilization"))
              && mine.stream().anyMatch(p -> p.getMetric().equals("jvm.memory.used"));
        });
      }
      assertThat(mine).anyMatch(p -> p.getMetric().equals("system.memory.utilization") && p.getEntityKind().equals("host"));

      AvroDeserializer<LogRecord> logValues = AvroDeserializer.specific(LogRecord.class);
      logValues.configure(props, false);
      props.put(ConsumerConfig.GROUP_ID_CONFIG, agentId + "-logs");
      List<LogRecord> logs = new ArrayList<>();
      try (KafkaConsumer<String, LogRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(), logValues)) {
        consumer.subscribe(List.of(Topics.LOGS.name()));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          consumer.poll(Duration.ofMillis(300)).forEach(r -> {
            if (r.value().getMessage().equals("it-agent-log-line")) {
              logs.add(r.value());
            }
          });
          return !logs.isEmpty();
        });
      }
      assertThat(logs.get(0).getEntityId()).isEqualTo(agentId);

      HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + agent.metricsPort() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(scraped.body()).contains("ingest_points_sent_total{collector=\"host\"}")
          .contains("ingest_points_collected_total{collector=\"otlp\"}")
          .contains("ingest_points_sent_total{collector=\"logs\"}");
    }
  }
}
