package io.autonomic.registry;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte {@code 0}, the writer schema's registry id as a 4-byte big-endian int,
 * then the Avro binary encoding of the datum. Tools that meet arbitrary bytes (e.g. {@code ./autonomic consume})
 * use {@link #isWireFormat} to decide whether to decode through the registry.
 */
public final class WireFormat {
  /** The first byte of every framed value. */
  public static final byte MAGIC_BYTE = 0;
  /** Bytes before the Avro data: the magic byte and the schema id. */
  public static final int HEADER_LENGTH = 5;

  private static final int HEX_PREFIX_BYTES = 16;

  private WireFormat() {}

  /** The 5-byte header for a value written with schema {@code schemaId}. */
  public static byte[] header(int schemaId) {
    return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(schemaId).array();
  }

  /** Whether {@code bytes} start like a framed value (magic byte 0 and room for a schema id). */
  public static boolean isWireFormat(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER_LENGTH && bytes[0] == MAGIC_BYTE;
  }

  /**
   * The schema id in the header of {@code bytes}; throws {@link WireFormatException} saying what is wrong
   * (wrong magic byte, with the first bytes in hex, or too short) when they are not framed.
   */
  public static int schemaId(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new WireFormatException("empty value: not in the Confluent wire format (magic byte 0, 4-byte schema id,"
          + " Avro data)");
    }
    if (bytes[0] != MAGIC_BYTE) {
      throw new WireFormatException(String.format("unknown magic byte 0x%02x at offset 0 of a %d-byte value "
          + "(first bytes: %s): not in the Confluent wire format", bytes[0], bytes.length, hex(bytes)));
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new WireFormatException(String.format("a %d-byte value (bytes: %s) is too short for the Confluent wire "
          + "format, which starts with a magic byte 0 and a 4-byte schema id", bytes.length, hex(bytes)));
    }
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }

  /** The first bytes of {@code bytes} as lower-case hex pairs, {@code " ..."} when there are more. */
  public static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(bytes.length, HEX_PREFIX_BYTES);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xff));
    }
    return bytes.length > n ? sb.append(" ...").toString() : sb.toString();
  }
}
