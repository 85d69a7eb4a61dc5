package io.autonomic.registry;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for values in the Confluent wire format: it fetches the writer's schema by the id in the
 * header and resolves the data to the reader schema, so a consumer with a newer (BACKWARD-compatible) schema
 * reads data written with an older one.
 *
 * <p>The reader schema is, in order: the one given to the constructor or by {@code avro.reader.schema}; the
 * generated class's ({@link #specific}, or {@code specific.avro.reader=true}, which finds the class by the
 * writer's full name); else the writer's own, giving a {@link org.apache.avro.generic.GenericRecord} whose
 * logical types are converted (timestamps as {@link java.time.Instant}) and strings are Avro's {@code Utf8}.
 *
 * @param <T> the record type: a generated class or {@code GenericRecord}
 */
public class AvroDeserializer<T> implements Deserializer<T> {
  private static final int CACHE = 1_000;

  private SchemaRegistryClient client;
  private boolean ownsClient;
  private boolean isKey;
  private Schema readerSchema;
  private boolean specific;
  private final LruCache<Integer, Reader> readers = new LruCache<>(CACHE);

  private record Reader(Schema writer, DatumReader<Object> datumReader) {}

  /** For Kafka to instantiate; {@link #configure} creates the registry client from {@code schema.registry.url}. */
  public AvroDeserializer() {}

  /** Reads GenericRecords with {@code client} (not closed by {@link #close}), unless configured otherwise. */
  public AvroDeserializer(SchemaRegistryClient client) {
    this.client = client;
  }

  /** Reads every value as {@code readerSchema}, resolving whatever schema it was written with. */
  public AvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
    this.client = client;
    this.readerSchema = readerSchema;
  }

  /** Reads instances of a generated class; the client comes from {@link #configure}. */
  public static <R extends SpecificRecord> AvroDeserializer<R> specific(Class<R> type) {
    return specific(null, type);
  }

  /** Reads instances of a generated class with {@code client}. */
  public static <R extends SpecificRecord> AvroDeserializer<R> specific(SchemaRegistryClient client, Class<R> type) {
    AvroDeserializer<R> deserializer = new AvroDeserializer<>(client, SpecificData.get().getSchema(type));
    deserializer.specific = true;
    return deserializer;
  }

  /** Shares a client created by {@link AvroSerde}. */
  void useClient(SchemaRegistryClient shared) {
    this.client = shared;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    RegistryConfig config = new RegistryConfig(configs);
    this.isKey = isKey;
    if (readerSchema == null && config.getString(RegistryConfig.READER_SCHEMA) != null) {
      readerSchema = new Schema.Parser().parse(config.getString(RegistryConfig.READER_SCHEMA));
    }
    specific = specific || config.getBoolean(RegistryConfig.SPECIFIC_AVRO_READER);
    if (client == null) {
      client = new HttpSchemaRegistryClient(config);
      ownsClient = true;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    String what = (isKey ? "key" : "value") + " of topic '" + topic + "'";
    int id;
    try {
      id = WireFormat.schemaId(data);
    } catch (WireFormatException e) {
      throw new WireFormatException("cannot read " + what + ": " + e.getMessage());
    }
    if (client == null) {
      throw new SerializationException("AvroDeserializer is not configured: call configure() or pass a client");
    }
    Reader reader;
    try {
      reader = readers.computeIfAbsent(id, this::reader);
    } catch (RegistryException e) {
      throw e.withContext("cannot read " + what);
    } catch (SerializationException e) {
      throw new SerializationException("cannot read " + what + ": " + e.getMessage(), e);
    }
    try {
      return (T) reader.datumReader().read(null, DecoderFactory.get()
          .binaryDecoder(data, WireFormat.HEADER_LENGTH, data.length - WireFormat.HEADER_LENGTH, null));
    } catch (EOFException e) {
      throw new SerializationException("cannot read " + what + ": its " + data.length + " bytes end before the "
          + reader.writer().getFullName() + " (schema id " + id + ") is complete", e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot read " + what + " as " + reader.writer().getFullName()
          + " (schema id " + id + "): " + e, e);
    }
  }

  private Reader reader(int id) {
    Schema writer = client.getSchemaById(id);
    Schema reader = readerSchema != null ? readerSchema : specific ? generatedSchema(writer) : writer;
    List<String> problems = SchemaResolution.problems(reader, writer);
    if (!problems.isEmpty()) {
      throw new SerializationException("data written with schema id " + id + " (" + writer.getFullName()
          + ") cannot be read with reader schema " + reader.getFullName() + ": " + String.join("; ", problems));
    }
    DatumReader<Object> datumReader = specific
        ? new SpecificDatumReader<>(writer, reader)
        : new GenericDatumReader<>(writer, reader, AvroData.GENERIC);
    return new Reader(writer, datumReader);
  }

  private static Schema generatedSchema(Schema writer) {
    Class<?> type = SpecificData.get().getClass(writer);
    if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
      throw new SerializationException(RegistryConfig.SPECIFIC_AVRO_READER + " is true but there is no generated "
          + "class " + SpecificData.get().getClassName(writer) + " on the classpath");
    }
    return SpecificData.get().getSchema(type);
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
