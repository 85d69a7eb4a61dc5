package io.autonomic.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.AuditDecision;
import io.autonomic.avro.AuditRecord;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.Severity;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.remediator.Fixtures;
import io.autonomic.remediator.TestingExecutor;
import io.autonomic.remediator.executor.ExecutorApp;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The closed loop on a real broker and registry: anomaly → command → executor → result → verified → resolved. */
@IntegrationStack
class RemediatorLoopITCase {
  static final String POLICIES = """
      guardrails:
        approval: {kinds: [FAILOVER], ttl: 10m}
      policies:
        - name: restart-process
          match: {entityKinds: [service], minSeverity: HIGH}
          target: {kind: process, name: "${label:service}"}
          verifyWindow: 2s
          ladder:
            - action: RESTART
        - name: failover-db
          match: {entityKinds: [db]}
          target: {kind: service, name: "${label:service}"}
          ladder:
            - action: FAILOVER
      """;

  final List<AutoCloseable> closeables = new ArrayList<>();
  String anomalies;
  String actions;
  String results;
  String audit;
  String approvals;
  String state;
  String dlq;

  @BeforeEach
  void topics(TestBroker broker) {
    anomalies = topic(broker, "anomalies", 3, false);
    actions = topic(broker, "actions", 3, false);
    results = topic(broker, "results", 3, false);
    audit = topic(broker, "audit", 3, false);
    approvals = topic(broker, "approvals", 1, false);
    state = topic(broker, "state", 3, true);
    dlq = topic(broker, "dlq", 1, false);
  }

  static String topic(TestBroker broker, String name, int partitions, boolean compacted) {
    String t = broker.uniqueTopic("loop-" + name);
    broker.createTopic(t, partitions, compacted ? Map.of("cleanup.policy", "compact") : Map.of());
    return t;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  Config config(TestBroker broker, TestRegistry registry, Path dir) throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("p.yaml"), POLICIES);
    return ConfigLoader.load(null, List.of(
        "kafka.bootstrap.servers=" + broker.bootstrapServers(),
        "registry.url=" + registry.ccompatUrl(),
        "remediator.policies.dir=" + policies,
        "remediator.application.id=" + broker.uniqueId("loop"),
        "remediator.http.port=0",
        "remediator.approval.token=t0ken",
        "remediator.topic.anomalies=" + anomalies,
        "remediator.topic.actions=" + actions,
        "remediator.topic.action-results=" + results,
        "remediator.topic.audit=" + audit,
        "remediator.topic.approvals=" + approvals,
        "remediator.topic.state=" + state,
        "remediator.topic.dlq=" + dlq,
        "executor.topic.actions=" + actions,
        "executor.topic.action-results=" + results,
        "executor.poll.timeout=200ms"), Map.of(), Map.of());
  }

  RemediatorApp remediator(Config config) {
    RemediatorApp app = RemediatorApp.create(config, Clock.systemUTC());
    closeables.add(app);
    app.start();
    await().atMost(Duration.ofSeconds(60)).until(app::ready);
    return app;
  }

  void send(TestBroker broker, TestRegistry registry, AnomalyEvent... events) {
    AvroSerializer<AnomalyEvent> ser = new AvroSerializer<>();
    ser.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
    List<ProducerRecord<String, AnomalyEvent>> records = new ArrayList<>();
    for (AnomalyEvent e : events) {
      records.add(new ProducerRecord<>("", e.getEntityId(), e));
    }
    broker.produce(anomalies, new StringSerializer(), ser, records);
  }

  <T extends org.apache.avro.specific.SpecificRecord> List<T> read(TestBroker broker, TestRegistry registry,
      String topic, Class<T> type, int count) {
    AvroDeserializer<T> de = AvroDeserializer.specific(type);
    de.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
    return broker.consume(topic, new StringDeserializer(), de, count, Duration.ofSeconds(60)).stream()
        .map(ConsumerRecord::value).toList();
  }

  @Test
  void anAppliedActionIsVerifiedAndTheIncidentResolved(TestBroker broker, TestRegistry registry,
      @TempDir Path dir) throws Exception {
    Config config = config(broker, registry, dir);
    remediator(config);
    TestingExecutor executor = new TestingExecutor();
    ExecutorApp exec = ExecutorApp.create(executor, config, Clock.systemUTC(), broker.uniqueId("exec"));
    closeables.add(exec);
    new Thread(exec, "executor").start();

    Instant t0 = Instant.now().minusSeconds(120);
    Map<String, String> tags = Map.of("kind", "service", "service", "checkout");
    send(broker, registry,
        Fixtures.anomaly("service:checkout", "latency.p99", t0, Severity.HIGH, tags),
        Fixtures.anomaly("service:checkout", "errors.rate", t0, Severity.CRITICAL, tags));

    List<AuditRecord> decisions = read(broker, registry, audit, AuditRecord.class, 3);
    assertThat(decisions).extracting(AuditRecord::getDecision)
        .containsExactly(AuditDecision.ISSUED, AuditDecision.VERIFIED, AuditDecision.RESOLVED);
    assertThat(decisions.get(2).getExplanation()).containsKey("mttr.ms");
    assertThat(executor.executed()).extracting(ActionCommand::getCommandId)
        .containsExactly("service:checkout~restart-process~" + t0.toEpochMilli() + "#0");
  }

  @Test
  void aDestructiveCommandIsReleasedByAnHttpApproval(TestBroker broker, TestRegistry registry,
      @TempDir Path dir) throws Exception {
    RemediatorApp app = remediator(config(broker, registry, dir));
    Instant t0 = Instant.now().minusSeconds(120);
    send(broker, registry, Fixtures.anomaly("db:orders", "replication.lag", t0, Severity.HIGH,
        Map.of("kind", "db", "service", "orders-db")));

    AuditRecord pending = read(broker, registry, audit, AuditRecord.class, 1).get(0);
    assertThat(pending.getDecision()).isEqualTo(AuditDecision.PENDING_APPROVAL);
    String commandId = pending.getCommandId();

    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + app.httpPort() + "/approvals/" + commandId.replace("#", "%23")))
        .header("Authorization", "Bearer t0ken")
        .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"APPROVED\",\"actor\":\"alice\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(202);

    ActionCommand released = read(broker, registry, actions, ActionCommand.class, 1).get(0);
    assertThat(released.getCommandId()).isEqualTo(commandId);
    assertThat(released.getRequiresApproval()).isTrue();
    assertThat(released.getParams()).containsEntry("approvedBy", "alice");
  }

  @Test
  void anUnreadableRecordGoesToTheDeadLetterTopic(TestBroker broker, TestRegistry registry,
      @TempDir Path dir) throws Exception {
    remediator(config(broker, registry, dir));

    broker.produceRaw(anomalies, List.of(new ProducerRecord<>("", "x".getBytes(StandardCharsets.UTF_8),
        "not avro".getBytes(StandardCharsets.UTF_8))));

    DeadLetter d = read(broker, registry, dlq, DeadLetter.class, 1).get(0);
    assertThat(d.getSourceTopic()).isEqualTo(anomalies);
    assertThat(d.getReason()).startsWith("remediator cannot process record of " + anomalies);
    assertThat(d.getValue().array()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
  }
}
