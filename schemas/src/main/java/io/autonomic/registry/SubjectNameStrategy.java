package io.autonomic.registry;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;

/** How the serializer names the registry subject that a record's schema is registered under. */
public enum SubjectNameStrategy {
  /** {@code <topic>-value} or {@code <topic>-key}: one schema lineage per topic (Confluent's default). */
  TOPIC("topic", "TopicNameStrategy") {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return topic + (isKey ? "-key" : "-value");
    }
  },
  /** The record's full name: one lineage per record type, whatever topic it is written to. */
  RECORD("record", "RecordNameStrategy") {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return namedType(schema).getFullName();
    }
  },
  /** {@code <topic>-<record full name>}: several record types in one topic, each with its own lineage. */
  TOPIC_RECORD("topic-record", "TopicRecordNameStrategy") {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return topic + "-" + namedType(schema).getFullName();
    }
  };

  private final String configName;
  private final String confluentClass;

  SubjectNameStrategy(String configName, String confluentClass) {
    this.configName = configName;
    this.confluentClass = confluentClass;
  }

  /** The subject for a record with this schema written to this topic, as key or value. */
  public abstract String subject(String topic, boolean isKey, Schema schema);

  /** The value of {@link RegistryConfig#SUBJECT_NAME_STRATEGY} that selects this strategy. */
  public String configName() {
    return configName;
  }

  /**
   * Parses {@code topic}, {@code record} or {@code topic-record}; Confluent's class names
   * (e.g. {@code io.confluent.kafka.serializers.subject.RecordNameStrategy}) are accepted for migration.
   */
  public static SubjectNameStrategy parse(String value) {
    String v = value == null ? "" : value.trim();
    for (SubjectNameStrategy s : values()) {
      if (s.configName.equalsIgnoreCase(v) || v.equals(s.confluentClass) || v.endsWith("." + s.confluentClass)
          || s.name().equals(v.toUpperCase(Locale.ROOT).replace('-', '_'))) {
        return s;
      }
    }
    throw new ConfigException(RegistryConfig.SUBJECT_NAME_STRATEGY, value, "must be topic, record or topic-record");
  }

  private static Schema namedType(Schema schema) {
    switch (schema.getType()) {
      case RECORD:
      case ENUM:
      case FIXED:
        return schema;
      default:
        throw new SerializationException("subject name strategies record and topic-record need a named Avro type"
            + " (record, enum or fixed), not " + schema.getType());
    }
  }
}
