package io.autonomic.ingest.delivery;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.ingest.IngestOptions;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The agent's producer: idempotent, acks=all, compressed and batched for throughput. */
public final class ProducerSettings {
  private ProducerSettings() {}

  /**
   * Kafka producer properties: the shared {@code kafka.*} section (security settings included) plus
   * the delivery guarantees, which the config cannot weaken. Unlimited delivery timeout and retries:
   * the producer keeps retrying through an outage, in order, while new points go to the spool.
   */
  public static Map<String, Object> properties(Config config, String clientId) {
    Map<String, Object> props = ClientOptions.kafkaProperties(config);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.get(IngestOptions.COMPRESSION));
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, (int) config.get(IngestOptions.LINGER).toMillis());
    props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, config.get(IngestOptions.BATCH_BYTES));
    props.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    // send() must not block the sender for long when there is no metadata: it retries the same point.
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
    props.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }
}
