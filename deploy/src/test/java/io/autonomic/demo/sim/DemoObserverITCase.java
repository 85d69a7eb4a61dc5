package io.autonomic.demo.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.avro.ActionTarget;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.Severity;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.registry.RegistryConfig;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The observer decodes the loop's output topics through the registry and hands each record over. */
@IntegrationStack
class DemoObserverITCase {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void handsOverAnomaliesIncidentsCommandsAndResultsProducedAfterItStarted(TestBroker broker,
      TestRegistry registry) {
    DemoObserver.TopicNames topics = new DemoObserver.TopicNames(broker.uniqueTopic("anomalies"),
        broker.uniqueTopic("incidents"), broker.uniqueTopic("actions"), broker.uniqueTopic("action-results"));
    for (String t : List.of(topics.anomalies(), topics.incidents(), topics.actions(), topics.results())) {
      broker.createTopic(t, 2);
    }
    Map<String, Object> serde = Map.of(RegistryConfig.URL, registry.ccompatUrl());
    AvroSerializer<Object> value = new AvroSerializer<>();
    value.configure(serde, false);
    StringSerializer key = new StringSerializer();
    broker.produce(topics.anomalies(), key, value, List.of(new ProducerRecord<>("x", "k", anomaly("before"))));

    List<String> seen = new CopyOnWriteArrayList<>();
    Map<String, Object> props = new HashMap<>(broker.consumerProps("unused"));
    props.putAll(serde);
    try (DemoObserver observer = new DemoObserver(props, topics, new DemoObserver.Events() {
      @Override
      public void anomaly(Instant at, AnomalyEvent e) {
        seen.add("anomaly " + e.getEventId());
      }

      @Override
      public void incident(Instant at, Incident i) {
        seen.add("incident " + i.getIncidentId());
      }

      @Override
      public void command(Instant at, ActionCommand c) {
        seen.add("command " + c.getKind() + " " + c.getTarget().getName());
      }

      @Override
      public void result(Instant at, ActionResult r) {
        seen.add("result " + r.getCommandId() + " " + r.getStatus());
      }
    }, Clock.systemUTC()).start(Duration.ofSeconds(60))) {
      broker.produce(topics.anomalies(), key, value, List.of(new ProducerRecord<>("x", "k", anomaly("a1"))));
      broker.produce(topics.incidents(), key, value, List.of(new ProducerRecord<>("x", "i1", incident())));
      broker.produce(topics.actions(), key, value, List.of(new ProducerRecord<>("x", "t", command())));
      broker.produce(topics.results(), key, value, List.of(new ProducerRecord<>("x", "c1", result())));
      broker.produceRaw(topics.anomalies(), List.of(new ProducerRecord<>("x", new byte[] {1}, new byte[] {9, 9})));

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(seen).containsExactlyInAnyOrder(
          "anomaly a1", "incident i1", "command SCALE checkout", "result c1 APPLIED"));
      await().atMost(Duration.ofSeconds(30)).until(() -> observer.undecodable() == 1);
      assertThat(observer.seen()).isEqualTo(4);
    }
  }

  private static AnomalyEvent anomaly(String id) {
    return AnomalyEvent.newBuilder().setEventId(id).setEntityId("shop/checkout-1").setWindowStart(T0)
        .setWindowEnd(T0).setScore(0.9).setThreshold(0.75).setSeverity(Severity.HIGH).setDetector("t")
        .setDetectedAt(T0).build();
  }

  private static Incident incident() {
    return Incident.newBuilder().setIncidentId("i1").setState(IncidentState.OPEN).setRevision(0)
        .setSeverity(Severity.HIGH).setSummary("s").setOpenedAt(T0).setUpdatedAt(T0).setAnomalyCount(1).build();
  }

  private static ActionCommand command() {
    return ActionCommand.newBuilder().setCommandId("c1").setIncidentId("i1").setStepIndex(0).setPolicy("p")
        .setKind(ActionKind.SCALE)
        .setTarget(ActionTarget.newBuilder().setKind("service").setNamespace("shop").setName("checkout").build())
        .setParams(Map.of("replicas", "5")).setDryRun(false).setRequiresApproval(false).setReason("r")
        .setCreatedAt(T0).setExpiresAt(T0.plusSeconds(60)).build();
  }

  private static ActionResult result() {
    return ActionResult.newBuilder().setCommandId("c1").setStatus(ActionStatus.APPLIED).setMessage("ok")
        .setExecutor("local").setStartedAt(T0).setFinishedAt(T0).build();
  }
}
