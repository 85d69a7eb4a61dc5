package io.autonomic.streams.correlator;

import static io.autonomic.streams.testing.Drivers.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.Severity;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.common.AvroSerdes;
import io.autonomic.streams.testing.Drivers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CorrelatorTopologyTest {
  static final Duration MINUTE = Duration.ofMinutes(1);
  static final CorrelatorSettings SETTINGS = new CorrelatorSettings(List.of("service"), Duration.ofSeconds(30),
      Duration.ofMinutes(5), Duration.ofMinutes(10), MINUTE, 2, 3, 3);

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final AvroSerdes serdes = Drivers.serdes();
  TopologyTestDriver driver;
  TestInputTopic<String, AnomalyEvent> anomalies;
  TestOutputTopic<String, Incident> incidents;

  void start(CorrelatorSettings settings) {
    driver = Drivers.driver(CorrelatorTopology.buildTopology(settings, serdes, meters, Duration.ofSeconds(1)));
    anomalies = driver.createInputTopic(Topics.ANOMALIES.name(), new StringSerializer(),
        serdes.anomalyEvent().serializer());
    incidents = driver.createOutputTopic(Topics.INCIDENTS.name(), new StringDeserializer(),
        serdes.incident().deserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  /** An anomaly of {@code entity} in the window starting {@code minute} minutes after T0. */
  static AnomalyEvent anomaly(String entity, String service, int minute, double score, Severity severity,
      String feature, double contribution) {
    Instant start = T0.plus(MINUTE.multipliedBy(minute));
    Map<String, String> tags = new HashMap<>();
    if (service != null) {
      tags.put("service", service);
      tags.put("namespace", "shop");
    }
    tags.put("host", entity);
    return AnomalyEvent.newBuilder()
        .setEventId("robust-zscore/" + entity + "/" + minute)
        .setEntityId(entity).setMetric(null)
        .setWindowStart(start).setWindowEnd(start.plus(MINUTE))
        .setScore(score).setThreshold(0.8).setSeverity(severity).setDetector("robust-zscore")
        .setContributions(List.of(FeatureContribution.newBuilder().setFeature(feature).setObserved(1.0)
            .setExpected(0.2).setContribution(contribution).build()))
        .setTags(tags).setDetectedAt(start.plus(MINUTE).plusSeconds(2))
        .build();
  }

  void send(AnomalyEvent a) {
    anomalies.pipeInput(a.getEntityId(), a, a.getWindowEnd());
  }

  double counter(String name) {
    return meters.find(name).counter() == null ? 0 : meters.find(name).counter().count();
  }

  double incidentsOut(IncidentState state) {
    var c = meters.find("autonomic.correlator.incidents.out").tag("state", state.name()).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void groupsAServicesPodsIntoOneIncidentAfterGroupWait() {
    start(new CorrelatorSettings(List.of("service"), Duration.ofSeconds(90), Duration.ofMinutes(5),
        Duration.ofMinutes(10), MINUTE, 2, 3, 3));
    send(anomaly("pod-a", "checkout", 0, 0.91, Severity.MEDIUM, "latency.p99:mean", 0.7));
    send(anomaly("pod-b", "checkout", 1, 0.85, Severity.MEDIUM, "latency.p99:mean", 0.6));
    send(anomaly("pod-a", "checkout", 1, 0.95, Severity.HIGH, "cpu.utilization:mean", 0.8));
    send(anomaly("pod-c", "checkout", 1, 0.82, Severity.LOW, "errors.rate:mean", 0.5));
    assertThat(incidents.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofMinutes(1));

    List<Incident> out = incidents.readValuesToList();
    assertThat(out).hasSize(1);
    Incident open = out.get(0);
    assertThat(open.getState()).isEqualTo(IncidentState.OPEN);
    assertThat(open.getRevision()).isZero();
    assertThat(open.getEntities()).containsExactly("pod-a", "pod-b", "pod-c");
    assertThat(open.getAnomalyCount()).isEqualTo(4);
    assertThat(open.getLabels()).containsEntry("service", "checkout").containsEntry("namespace", "shop")
        .doesNotContainKey("host");
    // worst anomaly HIGH, raised one level because 3 entities are affected
    assertThat(open.getSeverity()).isEqualTo(Severity.CRITICAL);
    assertThat(open.getRootCause().getEntityId()).isEqualTo("pod-a");
    assertThat(open.getRootCause().getMetric()).isEqualTo("cpu.utilization");
    assertThat(open.getRootCause().getExplanation()).contains("first anomalous of 3 entities")
        .contains("cpu.utilization:mean");
    assertThat(open.getOpenedAt()).isEqualTo(T0);
    assertThat(open.getSummary()).isEqualTo("cpu.utilization anomalous on service shop/checkout (3 entities)");
    assertThat(counter("autonomic.correlator.anomalies.in")).isEqualTo(4);
    assertThat(incidentsOut(IncidentState.OPEN)).isEqualTo(1);
  }

  @Test
  void waitsForGroupWaitBeforeOpening() {
    start(new CorrelatorSettings(List.of("service"), Duration.ofMinutes(3), Duration.ofMinutes(5),
        Duration.ofMinutes(10), MINUTE, 2, 3, 3));
    send(anomaly("pod-a", "checkout", 0, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7));
    send(anomaly("pod-a", "checkout", 1, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7));
    assertThat(incidents.isEmpty()).isTrue();
    send(anomaly("pod-b", "checkout", 2, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7));
    send(anomaly("pod-b", "checkout", 3, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7));

    List<Incident> out = incidents.readValuesToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getEntities()).containsExactlyInAnyOrder("pod-a", "pod-b");
  }

  @Test
  void dropsRepeatedAnomaliesAndCountsThem() {
    start(SETTINGS);
    AnomalyEvent first = anomaly("pod-a", "checkout", 0, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7);
    send(first);
    send(first);
    send(anomaly("pod-a", "checkout", 1, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7));
    send(first);

    List<Incident> out = incidents.readValuesToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getAnomalyCount()).isEqualTo(2);
    assertThat(counter("autonomic.correlator.anomalies.duplicate")).isEqualTo(2);
  }

  @Test
  void suppressesAOneWindowBlipAsFlapping() {
    start(SETTINGS);
    send(anomaly("pod-a", "checkout", 0, 0.9, Severity.HIGH, "latency.p99:mean", 0.7));
    send(anomaly("pod-a", "checkout", 4, 0.9, Severity.HIGH, "latency.p99:mean", 0.7)); // 1 of the last 3 again
    driver.advanceWallClockTime(Duration.ofMinutes(11));

    assertThat(incidents.isEmpty()).isTrue();
    assertThat(counter("autonomic.correlator.anomalies.suppressed")).isEqualTo(2);
    KeyValueStore<String, IncidentGroup> groups = driver.getKeyValueStore(CorrelatorTopology.GROUP_STORE);
    try (var all = groups.all()) {
      assertThat(all.hasNext()).isFalse();
    }
  }

  @Test
  void updatesOnlyForNewsAndAtMostOncePerGroupInterval() {
    start(SETTINGS);
    for (int minute = 0; minute < 4; minute++) {
      send(anomaly("pod-a", "checkout", minute, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7));
    }
    // a new entity two minutes after OPEN: news, but group_interval (5 min) holds it back
    send(anomaly("pod-b", "checkout", 3, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7));
    assertThat(incidents.readValuesToList()).extracting(Incident::getState).containsExactly(IncidentState.OPEN);
    for (int minute = 4; minute < 8; minute++) {
      send(anomaly("pod-a", "checkout", minute, 0.9, Severity.MEDIUM, "latency.p99:mean", 0.7));
    }

    List<Incident> out = incidents.readValuesToList();
    assertThat(out).hasSize(1);
    Incident updated = out.get(0);
    assertThat(updated.getState()).isEqualTo(IncidentState.UPDATED);
    assertThat(updated.getRevision()).isEqualTo(1);
    assertThat(updated.getEntities()).containsExactlyInAnyOrder("pod-a", "pod-b");
    assertThat(updated.getUpdatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
  }

  @Test
  void resolvesAfterTheQuietPeriodEvenWhenNoAnomaliesArrive() {
    start(SETTINGS);
    send(anomaly("host-1", null, 0, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
    send(anomaly("host-1", null, 1, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
    String id = incidents.readValuesToList().get(0).getIncidentId();

    driver.advanceWallClockTime(Duration.ofMinutes(9));
    assertThat(incidents.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofMinutes(2));

    List<Incident> out = incidents.readValuesToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getIncidentId()).isEqualTo(id);
    assertThat(out.get(0).getState()).isEqualTo(IncidentState.RESOLVED);
    assertThat(out.get(0).getResolvedAt()).isNotNull();
    assertThat(incidentsOut(IncidentState.RESOLVED)).isEqualTo(1);
    KeyValueStore<String, IncidentGroup> groups = driver.getKeyValueStore(CorrelatorTopology.GROUP_STORE);
    assertThat(groups.get("entity:host-1")).isNull();
  }

  @Test
  void startsANewIncidentWhenAnomaliesReturnAfterResolution() {
    start(SETTINGS);
    send(anomaly("host-1", null, 0, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
    send(anomaly("host-1", null, 1, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
    send(anomaly("host-1", null, 30, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
    send(anomaly("host-1", null, 31, 0.9, Severity.HIGH, "disk.used:mean", 0.9));

    List<Incident> out = incidents.readValuesToList();
    assertThat(out).extracting(Incident::getState)
        .containsExactly(IncidentState.OPEN, IncidentState.RESOLVED, IncidentState.OPEN);
    assertThat(out.get(2).getIncidentId()).isNotEqualTo(out.get(0).getIncidentId());
  }

  @Test
  void keepsUnrelatedEntitiesApart() {
    start(SETTINGS);
    for (int minute = 0; minute < 2; minute++) {
      send(anomaly("host-1", null, minute, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
      send(anomaly("host-2", null, minute, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
    }
    assertThat(incidents.readValuesToList()).extracting(i -> i.getEntities().get(0))
        .containsExactlyInAnyOrder("host-1", "host-2");
  }

  @Test
  void answersQueriesFromTheIncidentStore() {
    start(SETTINGS);
    send(anomaly("host-1", null, 0, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
    send(anomaly("host-1", null, 1, 0.9, Severity.HIGH, "disk.used:mean", 0.9));
    String id = incidents.readValuesToList().get(0).getIncidentId();

    var store = driver.<String, Incident>getTimestampedKeyValueStore(CorrelatorTopology.INCIDENT_STORE);
    assertThat(store.get(id).value().getState()).isEqualTo(IncidentState.OPEN);
    driver.advanceWallClockTime(Duration.ofMinutes(11));
    assertThat(store.get(id).value().getState()).isEqualTo(IncidentState.RESOLVED);
  }

  /**
   * The noise-reduction scenario of the README: one service degrading across 4 pods for 10 minutes, with the
   * detector re-sending some windows, a second service flapping for one window twice, and 5 hosts with one-off
   * blips. What reaches people: one incident (opened, updated, resolved) instead of dozens of anomalies.
   */
  @Test
  void reducesNoiseOnTheTestScenario() {
    start(SETTINGS);
    int in = 0;
    for (int minute = 0; minute < 10; minute++) {
      for (int pod = 0; pod < 4; pod++) {
        if (minute >= pod) { // pods degrade one after the other
          send(anomaly("checkout-" + pod, "checkout", minute, 0.85 + pod * 0.02, Severity.MEDIUM,
              "latency.p99:mean", 0.6));
          in++;
          if (minute % 3 == 0) { // re-sent windows
            send(anomaly("checkout-" + pod, "checkout", minute, 0.85 + pod * 0.02, Severity.MEDIUM,
                "latency.p99:mean", 0.6));
            in++;
          }
        }
      }
    }
    for (int minute : new int[] {2, 6}) {
      send(anomaly("search-0", "search", minute, 0.82, Severity.LOW, "cpu.utilization:mean", 0.5));
      in++;
    }
    for (int host = 0; host < 5; host++) {
      send(anomaly("host-" + host, null, host * 2, 0.81, Severity.LOW, "disk.io:mean", 0.5));
      in++;
    }
    driver.advanceWallClockTime(Duration.ofMinutes(30));

    List<Incident> out = incidents.readValuesToList();
    long distinct = out.stream().map(Incident::getIncidentId).distinct().count();
    System.out.printf("noise reduction: %d anomalies in, %d incidents (%d incident records) out%n", in, distinct,
        out.size());
    assertThat(distinct).isEqualTo(1);
    assertThat(out).extracting(Incident::getState)
        .containsExactly(IncidentState.OPEN, IncidentState.UPDATED, IncidentState.RESOLVED);
    assertThat(out.get(2).getEntities()).hasSize(4);
    assertThat(out.get(2).getRootCause().getEntityId()).isEqualTo("checkout-0");
    assertThat(counter("autonomic.correlator.anomalies.in")).isEqualTo(in);
    assertThat(counter("autonomic.correlator.anomalies.duplicate")).isEqualTo(13);
    assertThat(counter("autonomic.correlator.anomalies.suppressed")).isEqualTo(7);
  }
}
