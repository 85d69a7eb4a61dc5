package io.autonomic.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.LogSeverity;
import io.autonomic.avro.MetricPoint;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NormalizerTest {
  private static final long T0 = Instant.parse("2026-11-26T00:00:00Z").toEpochMilli();
  private final Normalizer normalizer = new Normalizer("agent:test", "agent-host", CardinalityGuard.unlimited());

  @Test
  void podIsTheMostSpecificEntity() {
    Entity e = normalizer.entity(Map.of("k8s.namespace.name", "shop", "k8s.pod.name", "checkout-1",
        "k8s.deployment.name", "checkout", "service.name", "checkout", "host.name", "node-1"), Map.of());
    assertThat(e).isEqualTo(new Entity("shop/checkout-1", "pod"));
  }

  @Test
  void deploymentThenServiceThenHost() {
    assertThat(normalizer.entity(Map.of("k8s.deployment.name", "web"), Map.of()))
        .isEqualTo(new Entity("default/web", "deployment"));
    assertThat(normalizer.entity(Map.of("service.name", "cart", "service.namespace", "shop",
        "host.name", "node-1"), Map.of())).isEqualTo(new Entity("shop/cart", "service"));
    assertThat(normalizer.entity(Map.of("host.name", "node-1"), Map.of())).isEqualTo(new Entity("node-1", "host"));
  }

  @Test
  void unnamedPointsBelongToTheAgentHost() {
    assertThat(normalizer.entity(Map.of(), Map.of())).isEqualTo(new Entity("agent-host", "host"));
    assertThat(new Normalizer(null, null, CardinalityGuard.unlimited()).entity(Map.of(), Map.of()))
        .isEqualTo(new Entity("unknown", "unknown"));
  }

  @Test
  void sdkDefaultServiceNameDoesNotMakeAnEntity() {
    assertThat(normalizer.entity(Map.of("service.name", "unknown_service:java", "host.name", "h"), Map.of()))
        .isEqualTo(new Entity("h", "host"));
  }

  @Test
  void prometheusLabelsAreReadAsTheirOpenTelemetryEquivalents() {
    assertThat(normalizer.entity(Map.of(), Map.of("namespace", "kube-system", "pod", "coredns-x")))
        .isEqualTo(new Entity("kube-system/coredns-x", "pod"));
    assertThat(normalizer.entity(Map.of(), Map.of("job", "api", "instance", "10.0.0.1:8080")))
        .isEqualTo(new Entity("api", "service"));
    assertThat(normalizer.entity(Map.of(), Map.of("hostname", "db-1"))).isEqualTo(new Entity("db-1", "host"));
  }

  @Test
  void resourceAttributesWinOverPointAttributes() {
    assertThat(normalizer.entity(Map.of("host.name", "a"), Map.of("host.name", "b")).id()).isEqualTo("a");
    assertThat(Normalizer.tags(Map.of("host.name", "a"), Map.of("host.name", "b", "cpu", "0")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("host.name", "a", "cpu", "0"));
  }

  @Test
  void bulkySdkDescriptorsAreNotTags() {
    assertThat(Normalizer.tags(Map.of("telemetry.sdk.name", "opentelemetry", "process.command_line", "java -jar x",
        "service.name", "x"), Map.of())).containsOnlyKeys("service.name");
  }

  @Test
  void metricIsCanonicalizedAndCarriesEntityTagsAndSource() {
    MetricPoint p = normalizer.metric(Map.of("host.name", "node-1"), Map.of("device", "eth0"),
        "node_network_receive_bytes_total", null, 42, T0).orElseThrow();
    assertThat(p.getEntityId()).isEqualTo("node-1");
    assertThat(p.getEntityKind()).isEqualTo("host");
    assertThat(p.getMetric()).isEqualTo("node.network.receive");
    assertThat(p.getUnit()).isEqualTo("By");
    assertThat(p.getValue()).isEqualTo(42);
    assertThat(p.getEventTime()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(p.getTags()).containsEntry("device", "eth0").containsEntry("host.name", "node-1");
    assertThat(p.getSource()).isEqualTo("agent:test");
  }

  @Test
  void nonFiniteValuesAreDroppedAndCounted() {
    assertThat(normalizer.metric(Map.of(), Map.of(), "x", null, Double.NaN, T0)).isEmpty();
    assertThat(normalizer.metric(Map.of(), Map.of(), "x", null, Double.POSITIVE_INFINITY, T0)).isEmpty();
    assertThat(normalizer.nonFiniteDropped()).isEqualTo(2);
  }

  @Test
  void cardinalityGuardDropsNewSeriesBeyondTheLimitAndCountsThemPerMetric() {
    Normalizer limited = new Normalizer("agent:test", "h", new CardinalityGuard(2));
    assertThat(limited.metric(Map.of(), Map.of("path", "/a"), "http.requests", null, 1, T0)).isPresent();
    assertThat(limited.metric(Map.of(), Map.of("path", "/b"), "http.requests", null, 1, T0)).isPresent();
    Optional<MetricPoint> third = limited.metric(Map.of(), Map.of("path", "/c"), "http.requests", null, 1, T0);
    Optional<MetricPoint> fourth = limited.metric(Map.of(), Map.of("path", "/d"), "http.requests", null, 1, T0);
    Optional<MetricPoint> other = limited.metric(Map.of(), Map.of(), "cpu", null, 1, T0);
    Optional<MetricPoint> known = limited.metric(Map.of(), Map.of("path", "/a"), "http.requests", null, 2, T0 + 1);

    assertThat(third).isEmpty();
    assertThat(fourth).isEmpty();
    assertThat(other).isEmpty();
    assertThat(known).isPresent();
    assertThat(limited.guard().droppedPoints()).isEqualTo(3);
    assertThat(limited.guard().droppedByMetric()).containsExactlyInAnyOrderEntriesOf(Map.of("http.requests", 2L, "cpu", 1L));
    assertThat(limited.guard().seriesCount()).isEqualTo(2);
  }

  @Test
  void logsCarryEntityAndAttributes() {
    var log = normalizer.log(Map.of("service.name", "cart"), Map.of("thread", "main"), T0, LogSeverity.WARN,
        "slow", "/var/log/cart.log");
    assertThat(log.getEntityId()).isEqualTo("cart");
    assertThat(log.getEntityKind()).isEqualTo("service");
    assertThat(log.getSeverity()).isEqualTo(LogSeverity.WARN);
    assertThat(log.getAttributes()).containsEntry("thread", "main").containsEntry("service.name", "cart");
    assertThat(log.getSource()).isEqualTo("/var/log/cart.log");
  }

  @Test
  void severityFromNumbersAndWords() {
    assertThat(Normalizer.severity(0)).isEqualTo(LogSeverity.UNSPECIFIED);
    assertThat(Normalizer.severity(1)).isEqualTo(LogSeverity.TRACE);
    assertThat(Normalizer.severity(9)).isEqualTo(LogSeverity.INFO);
    assertThat(Normalizer.severity(13)).isEqualTo(LogSeverity.WARN);
    assertThat(Normalizer.severity(17)).isEqualTo(LogSeverity.ERROR);
    assertThat(Normalizer.severity(24)).isEqualTo(LogSeverity.FATAL);
    assertThat(Normalizer.severity("Warning")).isEqualTo(LogSeverity.WARN);
    assertThat(Normalizer.severity("crit")).isEqualTo(LogSeverity.FATAL);
    assertThat(Normalizer.severity("notice")).isEqualTo(LogSeverity.INFO);
    assertThat(Normalizer.severity("ERR")).isEqualTo(LogSeverity.ERROR);
    assertThat(Normalizer.severity("verbose?")).isEqualTo(LogSeverity.UNSPECIFIED);
    assertThat(Normalizer.severity((String) null)).isEqualTo(LogSeverity.UNSPECIFIED);
  }
}
