package io.autonomic.streams;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.streams.common.AvroSerdes;
import io.autonomic.streams.common.DeadLetterDeserializationHandler;
import io.autonomic.streams.common.HttpEndpoint;
import io.autonomic.streams.common.HttpEndpoint.Reply;
import io.autonomic.streams.correlator.CorrelatorSettings;
import io.autonomic.streams.correlator.CorrelatorTopology;
import io.autonomic.streams.correlator.IncidentQueries;
import io.autonomic.streams.logpatterns.LogPatternsSettings;
import io.autonomic.streams.logpatterns.LogPatternsTopology;
import io.autonomic.streams.logpatterns.TemplateQueries;
import io.autonomic.streams.normalizer.NormalizerApp;
import io.autonomic.streams.normalizer.NormalizerTopology;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that builds the apps' object graph: a KafkaStreams instance per selected app (each with its own
 * application id, exactly-once v2), the registry serdes, the Prometheus registry, and one HTTP endpoint serving
 * {@code /metrics}, {@code /health}, {@code /incidents} (correlator) and {@code /templates} (log patterns).
 */
public final class StreamsRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

  private final Map<StreamsApp, KafkaStreams> streams = new EnumMap<>(StreamsApp.class);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AvroSerdes serdes;
  private final HttpEndpoint http;
  private final HostInfo self;

  private StreamsRunner(Config config, Set<StreamsApp> apps, Clock clock) {
    serdes = AvroSerdes.fromRegistryProperties(ClientOptions.registryProperties(config));
    String host = config.get(StreamsOptions.HTTP_HOST);
    http = new HttpEndpoint(host, config.get(StreamsOptions.HTTP_PORT));
    self = new HostInfo(host, http.port());
    try {
      build(config, apps, clock);
    } catch (RuntimeException e) {
      streams.values().forEach(KafkaStreams::close);
      http.close();
      serdes.close();
      throw e;
    }
    Metrics.addRegistry(meters);
  }

  private void build(Config config, Set<StreamsApp> apps, Clock clock) {
    for (StreamsApp app : apps) {
      Topology topology = switch (app) {
        case NORMALIZER -> NormalizerTopology.buildTopology(NormalizerApp.inputs(config, clock), serdes, meters, clock);
        case LOG_PATTERNS -> LogPatternsTopology.buildTopology(LogPatternsSettings.from(config), serdes, meters);
        case CORRELATOR -> CorrelatorTopology.buildTopology(CorrelatorSettings.from(config), serdes, meters,
            config.get(StreamsOptions.CORRELATOR_TICK));
      };
      KafkaStreams ks = new KafkaStreams(topology, streamsProperties(config, app, self));
      ks.setUncaughtExceptionHandler(e -> {
        LOG.error("app={} stream thread failed: {}; replacing the thread", app.cliName(), e.toString());
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
      });
      ks.setStateListener((now, before) -> LOG.info("app={} state={} (was {})", app.cliName(), now, before));
      new KafkaStreamsMetrics(ks).bindTo(meters);
      streams.put(app, ks);
    }
    http.route("/metrics", (sub, q) -> Reply.text(200, meters.scrape()));
    http.route("/health", (sub, q) -> health());
    if (streams.containsKey(StreamsApp.CORRELATOR) && config.get(StreamsOptions.CORRELATOR_HTTP)) {
      http.route("/incidents", new IncidentQueries(streams.get(StreamsApp.CORRELATOR), self));
    }
    if (streams.containsKey(StreamsApp.LOG_PATTERNS)) {
      http.route("/templates", new TemplateQueries(streams.get(StreamsApp.LOG_PATTERNS), self));
    }
  }

  /** Builds and starts the selected apps and the HTTP endpoint. */
  public static StreamsRunner start(Config config, Set<StreamsApp> apps, Clock clock) {
    config.validate(StreamsOptions.all(), StreamsOptions.passThrough(config));
    StreamsRunner runner = new StreamsRunner(config, apps, clock);
    runner.http.start();
    runner.streams.forEach((app, ks) -> {
      ks.start();
      LOG.info("app={} started http={}", app.cliName(), runner.self);
    });
    return runner;
  }

  /** Kafka Streams settings of one app: the shared client settings first, so SASL/TLS reach every client. */
  public static Properties streamsProperties(Config config, StreamsApp app, HostInfo self) {
    Properties props = new Properties();
    props.putAll(ClientOptions.kafkaProperties(config));
    props.putAll(ClientOptions.registryProperties(config));
    props.putAll(config.section(StreamsOptions.STREAMS_KAFKA_PREFIX));
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(config, app));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.get(StreamsOptions.STATE_DIR));
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.get(StreamsOptions.COMMIT_INTERVAL).toMillis());
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    return props;
  }

  public static String applicationId(Config config, StreamsApp app) {
    return switch (app) {
      case NORMALIZER -> config.get(StreamsOptions.NORMALIZER_APP_ID);
      case LOG_PATTERNS -> config.get(StreamsOptions.LOG_PATTERNS_APP_ID);
      case CORRELATOR -> config.get(StreamsOptions.CORRELATOR_APP_ID);
    };
  }

  private Reply health() {
    Map<StreamsApp, KafkaStreams.State> states = new EnumMap<>(StreamsApp.class);
    streams.forEach((app, ks) -> states.put(app, ks.state()));
    boolean healthy = states.values().stream()
        .allMatch(s -> s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING);
    String body = states.entrySet().stream().map(e -> "\"" + e.getKey().cliName() + "\":\"" + e.getValue() + "\"")
        .collect(Collectors.joining(",", "{\"healthy\":" + healthy + ",\"apps\":{", "}}"));
    return Reply.json(healthy ? 200 : 503, body);
  }

  public KafkaStreams streams(StreamsApp app) {
    return streams.get(app);
  }

  public int httpPort() {
    return http.port();
  }

  /** {@code http://host:port} of the HTTP endpoint. */
  public String httpUrl() {
    return "http://" + self.host() + ":" + self.port();
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  @Override
  public void close() {
    streams.forEach((app, ks) -> {
      ks.close(Duration.ofSeconds(30));
      LOG.info("app={} stopped", app.cliName());
    });
    http.close();
    serdes.close();
    Metrics.removeRegistry(meters);
    meters.close();
  }
}
