package io.autonomic.streams.common;

import io.autonomic.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@link DeadLetter} of a rejected record: its reason, where it came from and its original bytes. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * @param reason    what is wrong, naming the problem (e.g. "influx line 2: field value 'x' is not a number")
   * @param error     the exception that rejected it, or null for a validation rule
   * @param processor the rejecting component, e.g. normalizer:influx
   * @param metadata  the record's source (topic, partition, offset), when known
   */
  public static DeadLetter of(String reason, Throwable error, String processor, Optional<RecordMetadata> metadata,
      byte[] key, byte[] value, long sourceTimestamp, Headers headers, Instant failedAt) {
    return of(reason, error, processor, metadata.map(RecordMetadata::topic).orElse("unknown"),
        metadata.map(RecordMetadata::partition).orElse(-1), metadata.map(RecordMetadata::offset).orElse(-1L),
        key, value, sourceTimestamp, headers, failedAt);
  }

  /** As above, with the source given as topic, partition and offset. */
  public static DeadLetter of(String reason, Throwable error, String processor, String topic, int partition,
      long offset, byte[] key, byte[] value, long sourceTimestamp, Headers headers, Instant failedAt) {
    Map<String, ByteBuffer> headerMap = new LinkedHashMap<>();
    if (headers != null) {
      for (Header h : headers) {
        headerMap.put(h.key(), h.value() == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(h.value()));
      }
    }
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setErrorClass(error == null ? null : error.getClass().getName())
        .setFailedAt(failedAt)
        .setProcessor(processor)
        .setSourceTimestamp(sourceTimestamp >= 0 ? Instant.ofEpochMilli(sourceTimestamp) : null)
        .setHeaders(headerMap)
        .build();
  }
}
