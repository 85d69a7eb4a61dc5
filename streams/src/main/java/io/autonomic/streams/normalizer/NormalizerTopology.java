package io.autonomic.streams.normalizer;

import io.autonomic.schemas.Topics;
import io.autonomic.streams.common.AvroSerdes;
import io.autonomic.streams.normalizer.formats.RawFormat;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;

/**
 * telemetry.raw.otlp / .influx / .json → one {@link NormalizeProcessor} per format → telemetry.metrics,
 * telemetry.logs (key: entity id) and telemetry.dlq (key: source topic). Stateless, so it scales with the raw
 * topics' partitions. Built with the Processor API because one processor writes three differently typed topics.
 */
public final class NormalizerTopology {
  private NormalizerTopology() {}

  static final String METRICS_SINK = "metrics-sink";
  static final String LOGS_SINK = "logs-sink";
  static final String DLQ_SINK = "dlq-sink";

  /** A raw topic and the format of its records. */
  public record Input(String topic, RawFormat format) {}

  public static Topology buildTopology(List<Input> inputs, AvroSerdes serdes, MeterRegistry meters, Clock clock) {
    Topology topology = new Topology();
    String[] processors = new String[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      Input input = inputs.get(i);
      String source = "raw-" + input.format().name();
      processors[i] = "normalize-" + input.format().name();
      topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(), input.topic());
      topology.addProcessor(processors[i], () -> new NormalizeProcessor(input.format(), meters, clock), source);
    }
    topology.addSink(METRICS_SINK, Topics.METRICS.name(), new StringSerializer(),
        narrow(serdes.metricPoint().serializer()), processors);
    topology.addSink(LOGS_SINK, Topics.LOGS.name(), new StringSerializer(),
        narrow(serdes.logRecord().serializer()), processors);
    topology.addSink(DLQ_SINK, Topics.DLQ.name(), new StringSerializer(),
        narrow(serdes.deadLetter().serializer()), processors);
    return topology;
  }

  /** The sinks receive SpecificRecord; each only ever gets its own type, which the processor guarantees. */
  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> Serializer<SpecificRecord> narrow(Serializer<T> serializer) {
    return (Serializer<SpecificRecord>) serializer;
  }
}
