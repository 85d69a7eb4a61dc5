package io.autonomic.ingest.delivery;

/**
 * One serialized point on its way to Kafka: a global sequence number (the order it was published
 * in), its topic, the collector that produced it (for the counters), its key and its value bytes
 * (Confluent wire format, as the producer sends them).
 */
public record SpoolRecord(long seq, String topic, String collector, byte[] key, byte[] value) {
  /** Bytes the record takes on disk, framing included. */
  public int diskSize() {
    return 8 + 8 + 2 + utf8Length(topic) + 2 + utf8Length(collector) + 4 + (key == null ? 0 : key.length)
        + value.length;
  }

  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
