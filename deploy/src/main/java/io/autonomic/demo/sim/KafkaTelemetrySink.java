package io.autonomic.demo.sim;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.demo.fleet.FleetSample;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the simulated fleet's telemetry to telemetry.metrics and telemetry.logs, keyed by entity id, in the
 * Confluent wire format through the project's Avro serializer. Asynchronous: a failed send is counted and its
 * first error logged once, and the demo keeps running (the next tick carries fresh values anyway).
 */
public final class KafkaTelemetrySink implements TelemetrySink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTelemetrySink.class);
  private final KafkaProducer<String, Object> producer;
  private final String metricsTopic;
  private final String logsTopic;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstError = new AtomicReference<>();

  /**
   * @param producerProps Kafka client settings (from {@link ClientOptions#kafkaProperties}) plus the registry's
   *                      serde settings (from {@link ClientOptions#registryProperties})
   */
  public KafkaTelemetrySink(Map<String, Object> producerProps, String metricsTopic, String logsTopic) {
    Map<String, Object> props = new HashMap<>(producerProps);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "autonomic-demo-fleet");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    Serializer<Object> value = new AvroSerializer<>();
    value.configure(props, false);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), value);
    this.metricsTopic = metricsTopic;
    this.logsTopic = logsTopic;
  }

  /** A sink on the contract's topics, configured from the shared kafka.* and registry.* sections. */
  public static KafkaTelemetrySink create(Config config) {
    Map<String, Object> props = new HashMap<>(ClientOptions.kafkaProperties(config));
    props.putAll(ClientOptions.registryProperties(config));
    return new KafkaTelemetrySink(props, Topics.METRICS.name(), Topics.LOGS.name());
  }

  @Override
  public void publish(FleetSample sample) {
    for (MetricPoint p : sample.metrics()) {
      send(metricsTopic, p.getEntityId(), p);
    }
    for (LogRecord r : sample.logs()) {
      send(logsTopic, r.getEntityId(), r);
    }
  }

  private void send(String topic, String key, Object value) {
    producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
      if (e == null) {
        sent.incrementAndGet();
      } else if (failed.getAndIncrement() == 0) {
        firstError.set(e);
        LOG.warn("demo telemetry not delivered: topic={} error={}; further failures are only counted", topic,
            e.toString());
      }
    });
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
