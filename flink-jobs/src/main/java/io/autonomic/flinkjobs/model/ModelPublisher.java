package io.autonomic.flinkjobs.model;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.registry.AvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Announces stored model versions on the compacted models topic, keyed by model key, in the registry's Avro wire
 * format. Each announcement waits for the broker's acknowledgement: a version is announced only once its artifact
 * is on disk, and the trainer reports a failure instead of moving on.
 */
public final class ModelPublisher implements AutoCloseable {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, ModelUpdate> producer;
  private final String topic;

  /**
   * @param kafka client properties from {@code ClientOptions.kafkaProperties} (security settings included)
   * @param registry serde properties from {@code ClientOptions.registryProperties}
   */
  public ModelPublisher(Map<String, Object> kafka, Map<String, Object> registry, String topic) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.putAll(registry);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "autonomic-trainer");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
    this.producer = new KafkaProducer<>(props);
    this.topic = topic;
  }

  /** Sends the update and waits for the acknowledgement. */
  public RecordMetadata publish(ModelUpdate update) {
    try {
      return producer.send(new ProducerRecord<>(topic, update.getModelKey(), update))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while announcing " + update.getModelKey(), e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot announce " + update.getModelKey() + " v" + update.getVersion()
          + " on " + topic + ": " + cause.getMessage(), cause);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
