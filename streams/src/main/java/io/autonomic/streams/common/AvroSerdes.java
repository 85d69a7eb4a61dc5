package io.autonomic.streams.common;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.Incident;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.registry.AvroSerde;
import io.autonomic.registry.HttpSchemaRegistryClient;
import io.autonomic.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The registry-backed Avro value serdes of the apps, all sharing one registry client (and its cache). Tests pass
 * an in-memory client; apps build one from the {@code registry.*} settings.
 */
public final class AvroSerdes implements AutoCloseable {
  private final SchemaRegistryClient client;
  private final Map<String, Object> settings;
  private final boolean ownsClient;

  private AvroSerdes(SchemaRegistryClient client, Map<String, ?> settings, boolean ownsClient) {
    this.client = client;
    this.settings = new HashMap<>(settings);
    this.ownsClient = ownsClient;
  }

  /** Serdes over {@code client}, configured with the serde settings (auto.register.schemas etc.). */
  public static AvroSerdes using(SchemaRegistryClient client, Map<String, ?> serdeSettings) {
    return new AvroSerdes(client, serdeSettings, false);
  }

  /** Serdes over a new HTTP client built from {@code registryProperties} (closed by {@link #close}). */
  public static AvroSerdes fromRegistryProperties(Map<String, ?> registryProperties) {
    return new AvroSerdes(new HttpSchemaRegistryClient(registryProperties), registryProperties, true);
  }

  public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
    AvroSerde<T> serde = AvroSerde.specific(type, client);
    serde.configure(settings, false);
    return serde;
  }

  public Serde<MetricPoint> metricPoint() {
    return serde(MetricPoint.class);
  }

  public Serde<LogRecord> logRecord() {
    return serde(LogRecord.class);
  }

  public Serde<DeadLetter> deadLetter() {
    return serde(DeadLetter.class);
  }

  public Serde<AnomalyEvent> anomalyEvent() {
    return serde(AnomalyEvent.class);
  }

  public Serde<Incident> incident() {
    return serde(Incident.class);
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
