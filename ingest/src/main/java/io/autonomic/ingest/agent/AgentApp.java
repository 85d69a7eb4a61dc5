package io.autonomic.ingest.agent;

import com.sun.net.httpserver.HttpServer;
import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.ingest.IngestOptions;
import io.autonomic.ingest.delivery.DeliveryMetrics;
import io.autonomic.ingest.delivery.ProducerSettings;
import io.autonomic.ingest.delivery.ReliablePublisher;
import io.autonomic.ingest.host.HostCollector;
import io.autonomic.ingest.logs.LogLineParser;
import io.autonomic.ingest.logs.LogTail;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.ingest.normalize.Normalizer;
import io.autonomic.ingest.normalize.OtlpDecoder;
import io.autonomic.ingest.otlp.OtlpReceiver;
import io.autonomic.ingest.prometheus.PrometheusScraper;
import io.autonomic.registry.AvroSerializer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and runs one agent: the publisher (producer + spool), the collectors its config enables,
 * and its own {@code /metrics} and {@code /health} endpoint. The only place that creates the agent's
 * infrastructure. {@link #close()} stops the collectors first, then flushes the publisher.
 */
public final class AgentApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentApp.class);

  private final String agentId;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DeliveryMetrics metrics = new DeliveryMetrics(registry);
  private final Normalizer normalizer;
  private final ReliablePublisher publisher;
  private final ScheduledExecutorService scheduler;
  private final List<AutoCloseable> services = new ArrayList<>();
  private final List<String> running = new ArrayList<>();
  private HttpServer http;
  private OtlpReceiver otlp;

  private AgentApp(Config config, Clock clock) throws IOException {
    config.validate(IngestOptions.all(), List.of(ClientOptions.KAFKA));
    this.agentId = config.getOptional(IngestOptions.AGENT_ID).orElseGet(AgentApp::hostName);
    this.normalizer = new Normalizer("agent:" + agentId, agentId, new CardinalityGuard(config.get(IngestOptions.MAX_SERIES)));
    FunctionCounter.builder(DeliveryMetrics.DROPPED, normalizer.guard(), CardinalityGuard::droppedPoints)
        .tag("collector", "all").tag("reason", "cardinality").register(registry);
    FunctionCounter.builder(DeliveryMetrics.DROPPED, normalizer, Normalizer::nonFiniteDropped)
        .tag("collector", "all").tag("reason", "non_finite").register(registry);

    AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
    serializer.configure(ClientOptions.registryProperties(config), false);
    var producerProps = ProducerSettings.properties(config, "autonomic-agent-" + agentId);
    this.publisher = new ReliablePublisher(() -> new KafkaProducer<>(producerProps), serializer,
        Path.of(config.get(IngestOptions.SPOOL_DIR)), config.get(IngestOptions.SPOOL_MAX_MB) * 1024L * 1024L,
        config.get(IngestOptions.SPOOL_SEGMENT_MB) * 1024L * 1024L, metrics,
        new ReliablePublisher.Settings(config.get(IngestOptions.MEMORY_POINTS), config.get(IngestOptions.MAX_IN_FLIGHT),
            config.get(IngestOptions.SHUTDOWN_TIMEOUT)));
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "agent-collector");
      t.setDaemon(true);
      return t;
    });

    List<PollingCollector> polling = new ArrayList<>();
    if (config.get(IngestOptions.HOST_ENABLED)) {
      polling.add(new HostCollector(Path.of(config.get(IngestOptions.HOST_PROC)), Path.of(config.get(IngestOptions.HOST_SYS)),
          config.get(IngestOptions.HOST_INTERVAL), agentId, normalizer, publisher, clock));
    }
    if (config.get(IngestOptions.PROM_ENABLED)) {
      List<URI> targets = IngestOptions.list(config.get(IngestOptions.PROM_TARGETS)).stream().map(URI::create).toList();
      polling.add(new PrometheusScraper(targets, config.get(IngestOptions.PROM_INTERVAL),
          config.get(IngestOptions.PROM_TIMEOUT),
          PrometheusScraper.labels(IngestOptions.list(config.get(IngestOptions.PROM_LABELS))), agentId, normalizer,
          publisher, clock));
    }
    for (PollingCollector c : polling) {
      scheduler.scheduleAtFixedRate(() -> {
        try {
          c.collect();
        } catch (RuntimeException e) {
          LOG.warn("collector {} failed: {}", c.name(), e.toString());
        }
      }, 0, c.interval().toMillis(), TimeUnit.MILLISECONDS);
      running.add(c.name() + " every " + c.interval().toSeconds() + "s");
    }
    if (config.get(IngestOptions.OTLP_ENABLED)) {
      String keystore = config.get(IngestOptions.OTLP_KEYSTORE);
      OtlpReceiver receiver = new OtlpReceiver(new OtlpDecoder(normalizer, clock), publisher, new OtlpReceiver.Settings(
          config.get(IngestOptions.OTLP_HOST), config.get(IngestOptions.OTLP_PORT), config.get(IngestOptions.OTLP_TOKEN),
          keystore == null ? null : Path.of(keystore), config.get(IngestOptions.OTLP_KEYSTORE_PASSWORD),
          config.get(IngestOptions.OTLP_MAX_BODY_MB) * 1024 * 1024));
      receiver.start();
      otlp = receiver;
      services.add(receiver);
      running.add("otlp on port " + receiver.port());
    }
    if (config.get(IngestOptions.LOGS_ENABLED)) {
      List<Path> files = IngestOptions.list(config.get(IngestOptions.LOGS_FILES)).stream().map(Path::of).toList();
      LogTail tail = new LogTail(files, Path.of(config.get(IngestOptions.LOGS_STATE_DIR)),
          config.get(IngestOptions.LOGS_POLL), new LogLineParser(java.time.Year.now(clock).getValue()), normalizer,
          agentId, publisher, clock);
      tail.start();
      services.add(tail);
      running.add("logs of " + files.size() + " file(s)");
    }
    int port = config.get(IngestOptions.METRICS_PORT);
    if (port >= 0) {
      serveMetrics(port);
    }
    LOG.info("agent {} running: {}; publishing to {}", agentId, String.join(", ", running),
        config.get(ClientOptions.BOOTSTRAP_SERVERS));
  }

  /** Builds and starts an agent from its config. */
  public static AgentApp start(Config config, Clock clock) throws IOException {
    return new AgentApp(config, clock);
  }

  private void serveMetrics(int port) throws IOException {
    // JDK server: two GET endpoints need no web framework (see OtlpReceiver for the same choice).
    http = HttpServer.create(new InetSocketAddress(port), 16);
    http.createContext("/metrics", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.createContext("/health", exchange -> {
      byte[] body = ("{\"status\":\"UP\",\"agent\":\"" + agentId + "\",\"backlog\":" + publisher.backlog() + "}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
    LOG.info("agent metrics on http://0.0.0.0:{}/metrics", http.getAddress().getPort());
  }

  public String agentId() {
    return agentId;
  }

  public Normalizer normalizer() {
    return normalizer;
  }

  public ReliablePublisher publisher() {
    return publisher;
  }

  public DeliveryMetrics metrics() {
    return metrics;
  }

  /** Port of the OTLP receiver, or -1 when disabled. */
  public int otlpPort() {
    return otlp == null ? -1 : otlp.port();
  }

  /** Port of the /metrics endpoint, or -1 when disabled. */
  public int metricsPort() {
    return http == null ? -1 : http.getAddress().getPort();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env != null ? env : "localhost";
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (AutoCloseable s : services) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", s.getClass().getSimpleName(), e.toString());
      }
    }
    publisher.close();
    if (http != null) {
      http.stop(0);
    }
    LOG.info("agent {} stopped: collected={} sent={} spooled={} failed={}", agentId,
        metrics.total(DeliveryMetrics.COLLECTED), metrics.total(DeliveryMetrics.SENT),
        metrics.total(DeliveryMetrics.SPOOLED), metrics.total(DeliveryMetrics.FAILED));
  }
}
