package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.registry.AvroSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes Avro records in the Confluent wire format through the project's registry serializer, keyed by a string
 * taken from the record (entity id for anomalies, source topic for dead letters).
 */
public final class AvroRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final SerializableFunction<T, String> key;
  private final Map<String, Object> registryProps;
  private transient AvroSerializer<T> serializer;

  public AvroRecordSerializer(String topic, SerializableFunction<T, String> key, Map<String, Object> registryProps) {
    this.topic = topic;
    this.key = key;
    this.registryProps = new HashMap<>(registryProps);
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    serializer = new AvroSerializer<>();
    serializer.configure(registryProps, false);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    String k = key.apply(element);
    return new ProducerRecord<>(topic, null, timestamp, k == null ? null : k.getBytes(
        java.nio.charset.StandardCharsets.UTF_8), serializer.serialize(topic, element));
  }
}
