package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.RegistryException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the models topic (registry Avro). A record that is not a ModelUpdate, or a tombstone (a retired model:
 * the detector keeps scoring with the version it has until a newer one comes), is skipped with one log line and
 * counted ({@code modelRecordsSkipped}); it is the trainer's output, not telemetry, so it has no DLQ of its own.
 */
public final class ModelUpdateDeserializer implements KafkaRecordDeserializationSchema<ModelUpdate> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ModelUpdateDeserializer.class);

  private final Map<String, Object> registryProps;
  private transient AvroDeserializer<ModelUpdate> deserializer;
  private transient Counter skipped;

  public ModelUpdateDeserializer(Map<String, Object> registryProps) {
    this.registryProps = new HashMap<>(registryProps);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    deserializer = AvroDeserializer.specific(ModelUpdate.class);
    deserializer.configure(registryProps, false);
    skipped = context.getMetricGroup().counter("modelRecordsSkipped");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelUpdate> out) {
    if (record.value() == null) {
      skip(record, "tombstone (retiring a model is not supported: the running version stays)");
      return;
    }
    try {
      out.collect(deserializer.deserialize(record.topic(), record.value()));
    } catch (RegistryException e) {
      if (e.reason() != RegistryException.Reason.SCHEMA_NOT_FOUND) {
        throw e; // the registry is down: fail the task and retry from the checkpoint
      }
      skip(record, e.getMessage());
    } catch (RuntimeException e) {
      skip(record, e.toString());
    }
  }

  private void skip(ConsumerRecord<byte[], byte[]> r, String reason) {
    skipped.inc();
    LOG.warn("model record skipped: topic={} partition={} offset={} reason={}", r.topic(), r.partition(),
        r.offset(), reason);
  }

  @Override
  public TypeInformation<ModelUpdate> getProducedType() {
    return TypeInformation.of(ModelUpdate.class);
  }
}
