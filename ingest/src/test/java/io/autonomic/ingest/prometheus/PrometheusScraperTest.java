package io.autonomic.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.ingest.normalize.Normalizer;
import io.autonomic.ingest.testing.RecordingSink;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusScraperTest {
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>("");
  private final AtomicReference<String> contentType = new AtomicReference<>("text/plain; version=0.0.4");
  private final AtomicReference<String> accept = new AtomicReference<>();
  private final RecordingSink sink = new RecordingSink();
  private final Normalizer normalizer = new Normalizer("agent:test", "agent-host", CardinalityGuard.unlimited());
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", exchange -> {
      accept.set(exchange.getRequestHeaders().getFirst("Accept"));
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType.get());
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private PrometheusScraper scraper(List<URI> targets) {
    return new PrometheusScraper(targets, Duration.ofSeconds(15), Duration.ofSeconds(2), Map.of("env", "test"),
        "agent-host", normalizer, sink, clock);
  }

  private URI target() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  @Test
  void scrapesATargetAndPublishesItsPointsAndUp() throws Exception {
    body.set(PrometheusTextTest.resource("node-exporter-1.txt"));
    scraper(List.of(target())).collect();
    assertThat(accept.get()).contains("application/openmetrics-text").contains("text/plain;version=0.0.4");
    assertThat(sink.named("up")).singleElement().satisfies(p -> {
      assertThat(p.getValue()).isEqualTo(1.0);
      assertThat(p.getEntityId()).isEqualTo("agent-host");
      assertThat(p.getTags()).containsEntry("env", "test").containsEntry("instance", "127.0.0.1:" + server.getAddress().getPort());
    });
    assertThat(sink.named("node.load1")).singleElement().extracting(p -> p.getValue()).isEqualTo(0.42);
    assertThat(sink.named("scrape.samples").get(0).getValue()).isEqualTo(24.0);
    assertThat(sink.collectors).containsOnly("prometheus");
  }

  @Test
  void openMetricsContentTypeSelectsOpenMetricsTimestamps() throws Exception {
    contentType.set("application/openmetrics-text; version=1.0.0; charset=utf-8");
    body.set("# TYPE g gauge\ng 3 1764129600.25\n# EOF\n");
    scraper(List.of(target())).collect();
    assertThat(sink.named("g").get(0).getEventTime().toEpochMilli()).isEqualTo(1764129600250L);
  }

  @Test
  void aTargetThatIsDownGivesUpZeroNotSilence() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    scraper(List.of(URI.create("http://127.0.0.1:" + closedPort + "/metrics"))).collect();
    assertThat(sink.named("up")).singleElement().extracting(p -> p.getValue()).isEqualTo(0.0);
    assertThat(sink.named("scrape.samples")).isEmpty();
  }

  @Test
  void anUnparseableExpositionGivesUpZero() {
    body.set("this is { not prometheus\n");
    scraper(List.of(target())).collect();
    assertThat(sink.named("up")).singleElement().extracting(p -> p.getValue()).isEqualTo(0.0);
  }

  @Test
  void extraLabelsComeFromConfigItems() {
    assertThat(PrometheusScraper.labels(List.of("env=prod", " team = core "))).containsExactlyInAnyOrderEntriesOf(
        Map.of("env", "prod", "team", "core"));
  }
}
