package io.autonomic.remediator.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.remediator.Commands;
import io.autonomic.remediator.TestingExecutor;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** An executor against a real broker: one result per command id, even when the command is delivered again. */
@IntegrationStack
class ExecutorAppITCase {

  @Test
  void aCommandDeliveredAgainIsNotCarriedOutTwice(TestBroker broker, TestRegistry registry) throws Exception {
    String actions = broker.uniqueTopic("exec-actions");
    String results = broker.uniqueTopic("exec-results");
    broker.createTopic(actions, 1);
    broker.createTopic(results, 1);
    Config config = ConfigLoader.load(null, List.of(
        "kafka.bootstrap.servers=" + broker.bootstrapServers(),
        "registry.url=" + registry.ccompatUrl(),
        "executor.topic.actions=" + actions,
        "executor.topic.action-results=" + results,
        "executor.poll.timeout=200ms"), Map.of(), Map.of());
    Map<String, Object> reg = Map.of("schema.registry.url", registry.ccompatUrl());
    AvroSerializer<ActionCommand> ser = new AvroSerializer<>();
    ser.configure(reg, false);
    ActionCommand c = Commands.command("inc#0", ActionKind.RESTART, "process", null, "checkout", Map.of());
    c.setExpiresAt(Instant.now().plus(Duration.ofMinutes(10)));
    broker.produce(actions, new StringSerializer(), ser, List.of(new ProducerRecord<>("", "process/-/checkout", c)));

    TestingExecutor first = new TestingExecutor();
    try (ExecutorApp app = ExecutorApp.create(first, config, Clock.systemUTC(), broker.uniqueId("exec"))) {
      new Thread(app, "executor-1").start();
      await().atMost(Duration.ofSeconds(60)).until(() -> first.executed().size() == 1);
    }

    // The same command again (a replay), read by a fresh group that starts from the beginning.
    broker.produce(actions, new StringSerializer(), ser, List.of(new ProducerRecord<>("", "process/-/checkout", c)));
    TestingExecutor second = new TestingExecutor();
    try (ExecutorApp app = ExecutorApp.create(second, config, Clock.systemUTC(), broker.uniqueId("exec"))) {
      new Thread(app, "executor-2").start();
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      // Both copies are consumed once the fresh group has committed past them.
      await().atMost(Duration.ofSeconds(60)).until(() -> committed(broker, app.group(), actions) >= 2);
    }

    assertThat(second.executed()).as("remembered from action-results").isEmpty();
    AvroDeserializer<ActionResult> de = AvroDeserializer.specific(ActionResult.class);
    de.configure(reg, false);
    List<ConsumerRecord<String, ActionResult>> out = broker.consume(results, new StringDeserializer(), de, 1,
        Duration.ofSeconds(30));
    assertThat(out).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("inc#0");
      assertThat(r.value().getStatus()).isEqualTo(ActionStatus.APPLIED);
      assertThat(r.value().getExecutor()).isEqualTo("testing");
    });
  }

  static long committed(TestBroker broker, String group, String topic) throws Exception {
    var offsets = broker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    var o = offsets.get(new org.apache.kafka.common.TopicPartition(topic, 0));
    return o == null ? 0 : o.offset();
  }
}
