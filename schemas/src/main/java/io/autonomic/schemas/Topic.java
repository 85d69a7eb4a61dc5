package io.autonomic.schemas;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One topic of the contract.
 *
 * @param name              topic name
 * @param valueClass        generated Avro class of the values (Confluent wire format), or null when the values
 *                          are raw bytes in a foreign or internal format
 * @param compacted         whether the topic is log-compacted (latest value per key is kept)
 * @param defaultPartitions partitions to create the topic with when nothing else is configured
 * @param description       one line: what the topic holds and what its key is
 */
public record Topic(String name, Class<? extends SpecificRecord> valueClass, boolean compacted,
    int defaultPartitions, String description) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    if (defaultPartitions < 1) {
      throw new IllegalArgumentException("topic " + name + ": defaultPartitions must be at least 1");
    }
  }

  /** Whether the values are raw bytes rather than registry-framed Avro. */
  public boolean raw() {
    return valueClass == null;
  }

  /** The value schema's subject under the default (topic) naming strategy: {@code <name>-value}. */
  public String valueSubject() {
    return name + "-value";
  }

  /** The Avro schema of the values, or null for raw topics. */
  public Schema valueSchema() {
    return valueClass == null ? null : SpecificData.get().getSchema(valueClass);
  }

  /** Topic-level configuration to create the topic with (cleanup.policy=compact for compacted topics). */
  public Map<String, String> topicConfigs() {
    return compacted ? Map.of("cleanup.policy", "compact") : Map.of();
  }
}
