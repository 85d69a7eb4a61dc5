package io.autonomic.streams.normalizer.formats;

import io.autonomic.ingest.normalize.MalformedTelemetryException;
import org.apache.kafka.common.header.Headers;

/** One foreign format on one raw topic, decoded and normalized through the shared Normalizer. */
public interface RawFormat {
  /** Short name, used in the DeadLetter's processor ({@code normalizer:<name>}) and in metrics. */
  String name();

  /**
   * Decodes one Kafka record's value.
   *
   * @param recordTimestamp the Kafka record's timestamp, for formats or lines that carry none
   * @throws MalformedTelemetryException when the value is not this format; the message names the problem
   */
  Decoded decode(byte[] value, Headers headers, long recordTimestamp) throws MalformedTelemetryException;
}
