package io.autonomic.streams.common;

import io.autonomic.avro.DeadLetter;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.schemas.Topics;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the apps cannot even deserialize (not Avro in the wire format, unknown schema id) goes to
 * telemetry.dlq as a {@link DeadLetter} with the reason and the original bytes, through Kafka Streams' own
 * dead-letter mechanism (KIP-1034), so it is written in the task's transaction; the app then resumes. Only when
 * the DeadLetter itself cannot be written (registry unreachable) does the app stop, rather than lose the record.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private AvroSerializer<DeadLetter> serializer;
  private String processor = "streams";

  @Override
  public void configure(Map<String, ?> configs) {
    serializer = new AvroSerializer<>();
    serializer.configure(configs, false);
    Object appId = configs.get("application.id");
    if (appId != null) {
      processor = appId.toString();
    }
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
      Exception exception) {
    String reason = "cannot deserialize: " + exception.getMessage();
    try {
      DeadLetter letter = DeadLetters.of(reason, exception, processor, record.topic(), record.partition(),
          record.offset(), record.key(), record.value(), record.timestamp(), record.headers(),
          Clock.systemUTC().instant());
      byte[] value = serializer.serialize(Topics.DLQ.name(), letter);
      Metrics.counter("autonomic.streams.deserialization.dead.letters", "topic", record.topic()).increment();
      LOG.warn("dead-lettered topic={} partition={} offset={} reason=\"{}\"", record.topic(), record.partition(),
          record.offset(), reason);
      return Response.resume(List.of(new ProducerRecord<>(Topics.DLQ.name(), null,
          record.topic().getBytes(StandardCharsets.UTF_8), value)));
    } catch (RuntimeException e) {
      LOG.error("cannot dead-letter topic={} partition={} offset={}: {}; stopping rather than losing it",
          record.topic(), record.partition(), record.offset(), e.toString());
      return Response.fail();
    }
  }
}
