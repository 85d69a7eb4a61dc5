package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.RegistryException;
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

/**
 * Decodes telemetry.metrics values (Confluent wire format, schema from the registry) with the project's
 * {@link AvroDeserializer}. A record that is not a valid MetricPoint does not fail the job: it becomes a
 * {@link DeadLetter} with the reason, its coordinates and its original bytes.
 *
 * <p>A registry that cannot be reached is not the record's fault: that error fails the task (Flink restarts it
 * from the last checkpoint) instead of sending good records to the DLQ.
 */
public final class MetricPointDeserializer implements KafkaRecordDeserializationSchema<Decoded> {
  private static final long serialVersionUID = 1L;
  public static final String PROCESSOR = "detector:source";

  private final Map<String, Object> registryProps;
  private final Clock clock;
  private transient AvroDeserializer<MetricPoint> deserializer;

  public MetricPointDeserializer(Map<String, Object> registryProps, Clock clock) {
    this.registryProps = new HashMap<>(registryProps);
    this.clock = clock;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    deserializer = AvroDeserializer.specific(MetricPoint.class);
    deserializer.configure(registryProps, false);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded> out) {
    if (record.value() == null) {
      out.collect(Decoded.deadLetter(deadLetter(record, "tombstone: a metric point needs a value", null)));
      return;
    }
    MetricPoint p;
    try {
      p = deserializer.deserialize(record.topic(), record.value());
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
