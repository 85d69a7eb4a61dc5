package io.autonomic.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for Avro records (generated {@link SpecificRecord} classes or
 * {@link org.apache.avro.generic.GenericRecord}) in the Confluent wire format, registering or looking up the
 * schema in a Confluent-compatible registry. Configured from the producer's settings ({@link RegistryConfig});
 * {@code null} is written as {@code null} (a tombstone).
 *
 * <pre>{@code
 * props.put("value.serializer", AvroSerializer.class.getName());
 * props.put("schema.registry.url", "http://127.0.0.1:8080/apis/ccompat/v7");
 * }</pre>
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {
  private static final int CACHE = 1_000;

  private SchemaRegistryClient client;
  private boolean ownsClient;
  private boolean isKey;
  private SubjectNameStrategy strategy = SubjectNameStrategy.TOPIC;
  private boolean autoRegister = true;
  private boolean useLatest;
  private final LruCache<SubjectSchema, Target> targets = new LruCache<>(CACHE);
  private final LruCache<WriterKey, DatumWriter<Object>> writers = new LruCache<>(CACHE);

  private record SubjectSchema(String subject, Schema schema) {}

  private record WriterKey(Schema schema, boolean specific) {}

  /**
   * Where a record goes: the schema id in the header and, with {@code use.latest.version} when the latest
   * schema differs from the record's, how to convert the record to it.
   */
  private record Target(int id, DatumReader<Object> converter, DatumWriter<Object> latestWriter) {}

  /** For Kafka to instantiate; {@link #configure} creates the registry client from {@code schema.registry.url}. */
  public AvroSerializer() {}

  /** Uses {@code client} (not closed by {@link #close}); {@link #configure} then only reads the serde settings. */
  public AvroSerializer(SchemaRegistryClient client) {
    this.client = client;
  }

  /** Shares a client created by {@link AvroSerde}. */
  void useClient(SchemaRegistryClient shared) {
    this.client = shared;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    RegistryConfig config = new RegistryConfig(configs);
    this.isKey = isKey;
    this.strategy = config.subjectNameStrategy();
    this.autoRegister = config.getBoolean(RegistryConfig.AUTO_REGISTER_SCHEMAS);
    this.useLatest = config.getBoolean(RegistryConfig.USE_LATEST_VERSION);
    if (client == null) {
      client = new HttpSchemaRegistryClient(config);
      ownsClient = true;
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (!(data instanceof GenericContainer)) {
      throw new SerializationException("AvroSerializer writes Avro records (generated SpecificRecord classes or "
          + "GenericRecord), not " + data.getClass().getName() + " (" + (isKey ? "key" : "value") + " of topic '"
          + topic + "')" + (isKey ? "; use StringSerializer for string keys" : ""));
    }
    if (client == null) {
      throw new SerializationException("AvroSerializer is not configured: call configure() or pass a client");
    }
    Schema schema = ((GenericContainer) data).getSchema();
    String subject = strategy.subject(topic, isKey, schema);
    Target target = targets.computeIfAbsent(new SubjectSchema(subject, schema), k -> target(subject, schema));
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(128);
      out.write(WireFormat.header(target.id()));
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      if (target.converter() == null) {
        writer(schema, data).write(data, encoder);
      } else {
        ByteArrayOutputStream own = new ByteArrayOutputStream(128);
        BinaryEncoder ownEncoder = EncoderFactory.get().directBinaryEncoder(own, null);
        writer(schema, data).write(data, ownEncoder);
        Object converted = target.converter().read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
        target.latestWriter().write(converted, encoder);
      }
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      // Avro names the offending field, e.g. "null value for (non-nullable) string at MetricPoint.entityId".
      throw new SerializationException("cannot write " + schema.getFullName() + " as " + (isKey ? "key" : "value")
          + " of topic '" + topic + "': " + e.getMessage(), e);
    }
  }

  private Target target(String subject, Schema schema) {
    Schema contract = AvroData.contractForm(schema);
    if (useLatest) {
      RegisteredSchema latest = client.getLatestVersion(subject);
      if (latest.schema().equals(contract)) {
        return new Target(latest.id(), null, null);
      }
      List<String> problems = SchemaResolution.problems(latest.schema(), schema);
      if (!problems.isEmpty()) {
        throw new SerializationException(RegistryConfig.USE_LATEST_VERSION + ": version " + latest.version()
            + " (id " + latest.id() + ") of subject '" + subject + "' cannot represent records of "
            + schema.getFullName() + ": " + String.join("; ", problems));
      }
      return new Target(latest.id(), new GenericDatumReader<>(schema, latest.schema(), AvroData.GENERIC),
          new GenericDatumWriter<>(latest.schema(), AvroData.GENERIC));
    }
    if (autoRegister) {
      return new Target(client.register(subject, contract), null, null);
    }
    try {
      return new Target(client.getId(subject, contract), null, null);
    } catch (RegistryException e) {
      if (e.reason() == RegistryException.Reason.SCHEMA_NOT_FOUND
          || e.reason() == RegistryException.Reason.SUBJECT_NOT_FOUND) {
        throw new RegistryException(e.reason(), e.getMessage() + "; " + RegistryConfig.AUTO_REGISTER_SCHEMAS
            + " is false, so the schema must be registered first", e, e.httpStatus(), e.errorCode(),
            e.registryMessage());
      }
      throw e;
    }
  }

  private DatumWriter<Object> writer(Schema schema, Object data) {
    boolean specific = data instanceof SpecificRecord;
    return writers.computeIfAbsent(new WriterKey(schema, specific),
        k -> specific ? new SpecificDatumWriter<>(schema) : new GenericDatumWriter<>(schema, AvroData.GENERIC));
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
