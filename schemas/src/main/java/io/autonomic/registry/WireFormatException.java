package io.autonomic.registry;

import org.apache.kafka.common.errors.SerializationException;

/** Bytes that are not in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary). */
public class WireFormatException extends SerializationException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }
}
