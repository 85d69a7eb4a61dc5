package io.autonomic.remediator.app;

import io.autonomic.avro.AuditRecord;
import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.remediator.core.Remediator;
import io.autonomic.remediator.core.RemediatorMetrics;
import io.autonomic.remediator.core.RemediatorState;
import io.autonomic.remediator.guardrail.GuardrailChain;
import io.autonomic.remediator.policy.PolicyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the remediator's object graph from the configuration (the one place that creates infrastructure) and
 * runs it: the policy store, the guardrail chain, the core, the transactional loop, metrics and the HTTP endpoint.
 */
public final class RemediatorApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemediatorApp.class);

  private final RemediatorLoop loop;
  private final Remediator remediator;
  private final PrometheusMeterRegistry meters;
  private final HttpEndpoint http;
  private final KafkaProducer<String, AuditRecord> approvalProducer;
  private final Thread thread;

  private RemediatorApp(RemediatorLoop loop, Remediator remediator, PrometheusMeterRegistry meters, HttpEndpoint http,
      KafkaProducer<String, AuditRecord> approvalProducer) {
    this.loop = loop;
    this.remediator = remediator;
    this.meters = meters;
    this.http = http;
    this.approvalProducer = approvalProducer;
    this.thread = new Thread(loop, "remediator-loop");
  }

  /** Builds the app; the policy directory must load (a bad start is loud), later reloads may fail softly. */
  public static RemediatorApp create(Config config, Clock clock) {
    validate(config);
    Map<String, Object> kafka = ClientOptions.kafkaProperties(config);
    Map<String, Object> registry = ClientOptions.registryProperties(config);
    PolicyStore policies = new PolicyStore(Path.of(config.get(RemediatorOptions.POLICIES_DIR)));
    policies.loadInitial();

    boolean incidents = switch (config.get(RemediatorOptions.INPUT)) {
      case "incidents" -> true;
      case "anomalies" -> false;
      default -> throw new io.autonomic.config.ConfigException(config.originOf(RemediatorOptions.INPUT) + ": key '"
          + RemediatorOptions.INPUT.key() + "': expected anomalies or incidents, got '"
          + config.get(RemediatorOptions.INPUT) + "'");
    };
    RemediatorLoop.TopicNames topics = new RemediatorLoop.TopicNames(
        config.get(incidents ? RemediatorOptions.TOPIC_INCIDENTS : RemediatorOptions.TOPIC_ANOMALIES), incidents,
        config.get(RemediatorOptions.TOPIC_ACTIONS), config.get(RemediatorOptions.TOPIC_RESULTS),
        config.get(RemediatorOptions.TOPIC_AUDIT), config.get(RemediatorOptions.TOPIC_APPROVALS),
        config.get(RemediatorOptions.TOPIC_STATE), config.get(RemediatorOptions.TOPIC_DLQ));

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TransactionBuffer buffer = new TransactionBuffer(topics.actions(), topics.audit());
    Remediator.Settings settings = new Remediator.Settings(config.get(RemediatorOptions.DRY_RUN),
        config.get(RemediatorOptions.COMMAND_TTL), config.get(RemediatorOptions.RETRY_INTERVAL),
        config.get(RemediatorOptions.RESULT_GRACE));
    Remediator remediator = new Remediator(policies, GuardrailChain.standard(), new RemediatorState(), buffer, buffer,
        clock, new RemediatorMetrics(meters), settings);
    remediator.setKillSwitch(config.get(RemediatorOptions.KILL_SWITCH));
    RemediatorLoop loop = new RemediatorLoop(kafka, registry, topics, config.get(RemediatorOptions.APPLICATION_ID),
        remediator, buffer, policies, clock, config.get(RemediatorOptions.POLL_TIMEOUT),
        config.get(RemediatorOptions.POLICIES_RELOAD), config.get(RemediatorOptions.MAX_POLL_RECORDS));

    HttpEndpoint http = null;
    KafkaProducer<String, AuditRecord> approvals = null;
    int port = config.get(RemediatorOptions.HTTP_PORT);
    if (port >= 0) {
      Map<String, Object> p = new HashMap<>(kafka);
      p.putAll(registry);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      AvroSerializer<AuditRecord> ser = new AvroSerializer<>();
      ser.configure(registry, false);
      KafkaProducer<String, AuditRecord> producer = new KafkaProducer<>(p, new StringSerializer(), ser);
      approvals = producer;
      String approvalsTopic = topics.approvals();
      try {
        http = new HttpEndpoint(config.get(RemediatorOptions.HTTP_HOST), port,
            config.get(RemediatorOptions.APPROVAL_TOKEN), loop::ready, meters::scrape, r -> {
              try {
                producer.send(new ProducerRecord<>(approvalsTopic, r.getCommandId(), r)).get(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
              }
            }, remediator::setKillSwitch, clock);
      } catch (IOException e) {
        producer.close();
        throw new UncheckedIOException("cannot listen on " + config.get(RemediatorOptions.HTTP_HOST) + ":" + port, e);
      }
    }
    LOG.info("remediator configured input={} dryRun={} killSwitch={} policies={} http={}", topics.input(),
        settings.globalDryRun(), remediator.killSwitch(), policies.current().policies().size(),
        http == null ? "off" : http.port());
    return new RemediatorApp(loop, remediator, meters, http, approvals);
  }

  /**
   * Rejects unknown {@code remediator.*} keys (naming where each came from) and parses every declared option now.
   * Other sections belong to other apps sharing the file, so they are left alone.
   */
  static void validate(Config config) {
    java.util.Set<String> known = new java.util.HashSet<>();
    RemediatorOptions.ALL.forEach(o -> known.add(o.key()));
    List<String> unknown = config.keys().stream().filter(k -> k.startsWith("remediator.") && !known.contains(k))
        .toList();
    if (!unknown.isEmpty()) {
      throw new io.autonomic.config.ConfigException("unknown remediator option(s) " + unknown + "; known: "
          + new java.util.TreeSet<>(known));
    }
    RemediatorOptions.ALL.forEach(config::get);
    ClientOptions.ALL.forEach(config::get);
  }

  public void start() {
    thread.start();
  }

  public boolean ready() {
    return loop.ready();
  }

  public boolean alive() {
    return thread.isAlive();
  }

  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public Remediator remediator() {
    return remediator;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** Waits until the loop ends (it ends by {@link #close()} or when fenced). */
  public void join() throws InterruptedException {
    thread.join();
  }

  @Override
  public void close() {
    try {
      loop.stop(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (http != null) {
      http.close();
    }
    if (approvalProducer != null) {
      approvalProducer.close(Duration.ofSeconds(5));
    }
    meters.close();
  }
}
