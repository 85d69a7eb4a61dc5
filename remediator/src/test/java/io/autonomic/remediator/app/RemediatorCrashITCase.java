package io.autonomic.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Severity;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.remediator.Fixtures;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under a crash: the remediator runs in a child JVM, is killed with SIGKILL in the middle of its
 * stream of transactions, and restarted. Every deterministic command id must be on the actions topic exactly once.
 */
@IntegrationStack
class RemediatorCrashITCase {
  static final int ENTITIES = 80;
  static final String POLICY = """
      guardrails:
        rateLimit: {perTarget: 5, global: 100000, per: 1h}
      policies:
        - name: restart-on-latency
          match: {entityKinds: [service], minSeverity: HIGH}
          target: {kind: Deployment, namespace: shop, name: "${label:service}"}
          ladder:
            - action: ROLLOUT_RESTART
      """;

  final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  @Test
  void killedMidBatchAndRestartedIssuesEveryCommandExactlyOnce(TestBroker broker, TestRegistry registry,
      @TempDir Path dir) throws Exception {
    Map<String, String> topics = new HashMap<>();
    for (String t : List.of("anomalies", "actions", "action-results", "audit", "state", "dlq")) {
      topics.put(t, broker.uniqueTopic("crash-" + t));
      broker.createTopic(topics.get(t), t.equals("dlq") ? 1 : 3,
          t.equals("state") ? Map.of("cleanup.policy", "compact") : Map.of());
    }
    topics.put("approvals", broker.uniqueTopic("crash-approvals"));
    broker.createTopic(topics.get("approvals"), 1);
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("restart.yaml"), POLICY);

    // Two anomalous metrics per entity: one incident and one command each.
    Map<String, Object> reg = Map.of("schema.registry.url", registry.ccompatUrl());
    AvroSerializer<AnomalyEvent> ser = new AvroSerializer<>();
    ser.configure(reg, false);
    List<ProducerRecord<String, AnomalyEvent>> records = new ArrayList<>();
    Set<String> expected = new TreeSet<>();
    Instant t0 = Instant.now().minusSeconds(600);
    for (int i = 0; i < ENTITIES; i++) {
      String entity = "service:svc-" + i;
      Map<String, String> tags = Map.of("kind", "service", "service", "svc-" + i);
      records.add(new ProducerRecord<>("", entity, Fixtures.anomaly(entity, "latency.p99", t0, Severity.HIGH, tags)));
      records.add(new ProducerRecord<>("", entity, Fixtures.anomaly(entity, "errors.rate", t0.plusSeconds(30),
          Severity.CRITICAL, tags)));
      expected.add(entity + "~restart-on-latency~" + t0.toEpochMilli() + "#0");
    }
    broker.produce(topics.get("anomalies"), new StringSerializer(), ser, records);

    String appId = broker.uniqueId("remediator-crash");
    List<String> args = List.of(
        "kafka.bootstrap.servers=" + broker.bootstrapServers(),
        "registry.url=" + registry.ccompatUrl(),
        "remediator.policies.dir=" + policies,
        "remediator.application.id=" + appId,
        "remediator.max.poll.records=8",
        "remediator.http.port=-1",
        "remediator.topic.anomalies=" + topics.get("anomalies"),
        "remediator.topic.actions=" + topics.get("actions"),
        "remediator.topic.action-results=" + topics.get("action-results"),
        "remediator.topic.audit=" + topics.get("audit"),
        "remediator.topic.approvals=" + topics.get("approvals"),
        "remediator.topic.state=" + topics.get("state"),
        "remediator.topic.dlq=" + topics.get("dlq"));

    long start = System.nanoTime();
    Process first = child(args, dir.resolve("child-1.log"));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> commandIds(broker, registry, topics.get("actions")).size()
        >= ENTITIES / 4);
    first.destroyForcibly();
    first.waitFor();
    List<String> beforeRestart = commandIds(broker, registry, topics.get("actions"));
    assertThat(beforeRestart).as("killed before the end of the input").hasSizeLessThan(ENTITIES);
    System.out.printf("crash test: killed after %d ms with %d commands committed%n",
        (System.nanoTime() - start) / 1_000_000, beforeRestart.size());

    Process second = child(args, dir.resolve("child-2.log"));
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> allConsumed(broker, appId, topics.get("anomalies")));
    await().atMost(Duration.ofSeconds(30)).until(() -> commandIds(broker, registry, topics.get("actions")).size()
        >= ENTITIES);
    System.out.printf("crash test: restarted run done after %d ms%n", (System.nanoTime() - start) / 1_000_000);
    second.destroyForcibly();
    second.waitFor();

    List<String> ids = commandIds(broker, registry, topics.get("actions"));
    Map<String, Long> counts = ids.stream().collect(Collectors.groupingBy(Function.identity(),
        Collectors.counting()));
    assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
        .as("duplicated command ids").isEmpty();
    assertThat(new TreeSet<>(ids)).as("every command exactly once, none lost").isEqualTo(expected);
    assertThat(ids).hasSize(ENTITIES);
  }

  private Process child(List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        RemediatorChild.class.getName()));
    cmd.addAll(args); // key=value overrides
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    children.add(p);
    return p;
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  static List<String> commandIds(TestBroker broker, TestRegistry registry, String topic) {
    AvroDeserializer<ActionCommand> de = AvroDeserializer.specific(ActionCommand.class);
    de.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
    List<String> out = new ArrayList<>();
    Map<String, Object> props = broker.consumerProps(broker.uniqueId("reader"));
    props.remove("group.id");
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(de.deserialize(topic, r.value()).getCommandId());
        }
      }
    }
    return out;
  }

  static boolean allConsumed(TestBroker broker, String group, String topic) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = broker.admin().listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (int p = 0; p < 3; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    var end = broker.admin().listOffsets(specs).all().get();
    return specs.keySet().stream().allMatch(p -> committed.get(p) != null
        && committed.get(p).offset() >= end.get(p).offset());
  }
}
