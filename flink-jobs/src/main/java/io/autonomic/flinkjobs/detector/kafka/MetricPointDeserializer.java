package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.HttpSchemaRegistryClient;
import io.autonomic.registry.RegistryException;
import io.autonomic.registry.SchemaRegistryClient;
import io.autonomic.registry.WireFormat;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes telemetry.metrics values (Confluent wire format, schema from the registry). Values written with the
 * generated class's own schema (the common case) are read by {@link MetricPointReader}, the fast path; any other
 * writer schema is resolved by the project's {@link AvroDeserializer}. A record that is not a valid MetricPoint does not fail the job: it becomes a
 * {@link DeadLetter} with the reason, its coordinates and its original bytes.
 *
 * <p>A registry that cannot be reached is not the record's fault: that error fails the task (Flink restarts it
 * from the last checkpoint) instead of sending good records to the DLQ.
 */
public final class MetricPointDeserializer implements KafkaRecordDeserializationSchema<Decoded> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MetricPointDeserializer.class);
  public static final String PROCESSOR = "detector:source";

  private final Map<String, Object> registryProps;
  private final Clock clock;
  private transient SchemaRegistryClient client;
  private transient AvroDeserializer<MetricPoint> deserializer;
  private transient MetricPointReader reader;
  /** Per schema id: whether {@link MetricPointReader} reads its data (the generated class's own layout). */
  private transient Map<Integer, Boolean> ownSchema;
  /** The last schema id the fast reader read: consecutive points nearly always share it. */
  private transient int lastOwnSchemaId;

  public MetricPointDeserializer(Map<String, Object> registryProps, Clock clock) {
    this.registryProps = new HashMap<>(registryProps);
    this.clock = clock;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    client = new HttpSchemaRegistryClient(registryProps);
    deserializer = AvroDeserializer.specific(client, MetricPoint.class);
    deserializer.configure(registryProps, false);
    reader = new MetricPointReader();
    ownSchema = new HashMap<>();
    lastOwnSchemaId = -1;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded> out) {
    if (record.value() == null) {
      out.collect(Decoded.deadLetter(deadLetter(record, "tombstone: a metric point needs a value", null)));
      return;
    }
    MetricPoint p;
    try {
      p = decode(record.topic(), record.value());
    } catch (RegistryException e) {
      if (e.reason() == RegistryException.Reason.SCHEMA_NOT_FOUND) { // the record's schema id is bogus
        out.collect(Decoded.deadLetter(deadLetter(record, e.getMessage(), e)));
        return;
      }
      throw e;
    } catch (RuntimeException e) {
      out.collect(Decoded.deadLetter(deadLetter(record, e.getMessage(), e)));
      return;
    }
    String problem = problem(p);
    if (problem != null) {
      out.collect(Decoded.deadLetter(deadLetter(record, problem, null)));
      return;
    }
    out.collect(Decoded.point(p));
  }

  private MetricPoint decode(String topic, byte[] value) {
    if (!WireFormat.isWireFormat(value)) {
      return deserializer.deserialize(topic, value); // fails saying what is wrong with the framing
    }
    int id = WireFormat.schemaId(value);
    if (id == lastOwnSchemaId) {
      return fastRead(topic, value, id);
    }
    Boolean own = ownSchema.get(id);
    if (own == null) {
      // the general path fetches the writer schema (or fails with the registry's reason) and checks resolution
      MetricPoint p = deserializer.deserialize(topic, value);
      boolean fast = MetricPointReader.readsDataWrittenWith(client.getSchemaById(id));
      ownSchema.put(id, fast);
      LOG.info("metrics schema id {} of topic {}: {}", id, topic, fast ? "the detector's own MetricPoint schema, "
          + "read by the fast reader" : "another MetricPoint schema, resolved by the Avro reader");
      return p;
    }
    if (!own) {
      return deserializer.deserialize(topic, value);
    }
    lastOwnSchemaId = id;
    return fastRead(topic, value, id);
  }

  private MetricPoint fastRead(String topic, byte[] value, int id) {
    try {
      return reader.read(value, WireFormat.HEADER_LENGTH, value.length - WireFormat.HEADER_LENGTH);
    } catch (MetricPointReader.MalformedPointException e) {
      throw new MetricPointReader.MalformedPointException("cannot read value of topic '" + topic + "' as "
          + MetricPointReader.SCHEMA.getFullName() + " (schema id " + id + "): " + e.getMessage());
    }
  }

  /** A validation rule the Avro schema cannot express, or null when the point is fine. */
  static String problem(MetricPoint p) {
    if (p.getEntityId() == null || p.getEntityId().isBlank()) {
      return "invalid MetricPoint: entityId is empty";
    }
    if (p.getMetric() == null || p.getMetric().isBlank()) {
      return "invalid MetricPoint: metric is empty (entity " + p.getEntityId() + ")";
    }
    if (Double.isNaN(p.getValue()) || Double.isInfinite(p.getValue())) {
      return "invalid MetricPoint: value is " + p.getValue() + " (entity " + p.getEntityId() + ", metric "
          + p.getMetric() + ")";
    }
    return null;
  }

  private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r, String reason, Exception e) {
    Map<String, ByteBuffer> headers = new HashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), ByteBuffer.wrap(h.value() == null ? new byte[0] : h.value()));
    }
    return DeadLetter.newBuilder()
        .setReason(reason == null ? "cannot decode MetricPoint" : reason)
        .setSourceTopic(r.topic())
        .setSourcePartition(r.partition())
        .setSourceOffset(r.offset())
        .setKey(r.key() == null ? null : ByteBuffer.wrap(r.key()))
        .setValue(r.value() == null ? null : ByteBuffer.wrap(r.value()))
        .setErrorClass(e == null ? null : e.getClass().getName())
        .setFailedAt(clock.instant())
        .setProcessor(PROCESSOR)
        .setSourceTimestamp(r.timestamp() >= 0 ? Instant.ofEpochMilli(r.timestamp()) : null)
        .setHeaders(headers)
        .build();
  }

  @Override
  public TypeInformation<Decoded> getProducedType() {
    return TypeInformation.of(Decoded.class);
  }
}
