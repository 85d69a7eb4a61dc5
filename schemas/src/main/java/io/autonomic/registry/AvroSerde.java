package io.autonomic.registry;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link Serde} for Kafka Streams built from {@link AvroSerializer} and {@link AvroDeserializer}, sharing one
 * registry client (and its cache) between the two.
 *
 * <pre>{@code
 * Serde<MetricPoint> metrics = AvroSerde.specific(MetricPoint.class);
 * metrics.configure(Map.of("schema.registry.url", url), false);
 * }</pre>
 *
 * @param <T> the record type
 */
public final class AvroSerde<T> implements Serde<T> {
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;
  private SchemaRegistryClient client;
  private boolean ownsClient;

  private AvroSerde(SchemaRegistryClient client, AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
    this.client = client;
    this.serializer = serializer;
    this.deserializer = deserializer;
  }

  /** A serde for a generated class; the client is created by {@link #configure}. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type) {
    return specific(type, null);
  }

  /** A serde for a generated class over {@code client} (not closed by {@link #close}). */
  public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type, SchemaRegistryClient client) {
    return new AvroSerde<>(client, new AvroSerializer<>(client), AvroDeserializer.specific(client, type));
  }

  /** A serde for GenericRecords (read with the writer's schema); the client is created by {@link #configure}. */
  public static AvroSerde<GenericRecord> generic() {
    return generic(null);
  }

  /** A serde for GenericRecords over {@code client} (not closed by {@link #close}). */
  public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client) {
    return new AvroSerde<>(client, new AvroSerializer<>(client), new AvroDeserializer<>(client));
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = new HttpSchemaRegistryClient(configs);
      ownsClient = true;
      serializer.useClient(client);
      deserializer.useClient(client);
    }
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
