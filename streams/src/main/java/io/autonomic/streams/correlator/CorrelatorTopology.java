package io.autonomic.streams.correlator;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.common.AvroSerdes;
import io.autonomic.streams.common.EventTimes;
import io.autonomic.streams.common.JsonSerde;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * anomalies (key: entity) → re-keyed by group → {@link CorrelatorProcessor} → incidents (key: incident id), and a
 * queryable table of the latest change of every incident ({@link #INCIDENT_STORE}), partitioned by incident id so
 * that {@code queryMetadataForKey} finds the instance that holds one.
 */
public final class CorrelatorTopology {
  private CorrelatorTopology() {}

  /** Pending and open groups, by group key. */
  public static final String GROUP_STORE = "correlator-groups";
  /** Latest change of every incident, by incident id (interactive queries). */
  public static final String INCIDENT_STORE = "correlator-incidents";

  public static Topology buildTopology(CorrelatorSettings settings, AvroSerdes serdes, MeterRegistry meters,
      Duration tick) {
    Correlator correlator = new Correlator(settings);
    Serde<AnomalyEvent> anomalySerde = serdes.anomalyEvent();
    Serde<Incident> incidentSerde = serdes.incident();
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUP_STORE),
        Serdes.String(), JsonSerde.of(IncidentGroup.class)));

    KStream<String, Incident> incidents = builder
        .stream(Topics.ANOMALIES.name(), Consumed.with(Serdes.String(), anomalySerde)
            .withTimestampExtractor(new WindowEndTimestamp()).withName("anomalies"))
        .selectKey((entity, anomaly) -> correlator.groupKey(anomaly), Named.as("group-key"))
        .repartition(Repartitioned.with(Serdes.String(), anomalySerde).withName("by-group"))
        .process(() -> new CorrelatorProcessor(correlator, meters, tick), Named.as("correlate"), GROUP_STORE);

    incidents.to(Topics.INCIDENTS.name(), Produced.with(Serdes.String(), incidentSerde).withName("incidents"));
    incidents
        .repartition(Repartitioned.with(Serdes.String(), incidentSerde).withName("by-incident"))
        .toTable(Named.as("incident-table"), Materialized.<String, Incident, KeyValueStore<Bytes, byte[]>>as(
            INCIDENT_STORE).withKeySerde(Serdes.String()).withValueSerde(incidentSerde));
    return builder.build();
  }

  /**
   * Event time of an anomaly: the end of its window, so stream time does not include the detector's delay (see
   * {@link EventTimes} for implausible values).
   */
  static final class WindowEndTimestamp implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      long eventTime = record.value() instanceof AnomalyEvent anomaly && anomaly.getWindowEnd() != null
          ? anomaly.getWindowEnd().toEpochMilli() : -1;
      return EventTimes.choose(eventTime, record.timestamp(), partitionTime, System.currentTimeMillis());
    }
  }
}
