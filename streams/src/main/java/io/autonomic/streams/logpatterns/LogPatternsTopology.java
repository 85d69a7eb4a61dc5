package io.autonomic.streams.logpatterns;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.common.AvroSerdes;
import io.autonomic.streams.common.EventTimes;
import io.autonomic.streams.common.JsonSerde;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * telemetry.logs → Drain mining (catalog in {@link #CATALOG_STORE}) → per entity and template, a count per
 * tumbling window as {@code log.template.count} on telemetry.metrics (tag {@code template_id}), plus
 * {@code log.template.new} at once for a template never seen before at WARN or above.
 *
 * <p>Keys stay the entity id all the way (mining is a value-only step), so there is no repartition: each task
 * mines the entities of its partitions, and a template found in two partitions gets the same id only when the
 * same message created it in both.
 */
public final class LogPatternsTopology {
  private LogPatternsTopology() {}

  /** Template catalog: id → {@link TemplateInfo}; its changelog topic is compacted. */
  public static final String CATALOG_STORE = "log-template-catalog";
  public static final String COUNT_METRIC = "log.template.count";
  public static final String NEW_TEMPLATE_METRIC = "log.template.new";
  public static final String TEMPLATE_TAG = "template_id";
  static final String SOURCE = "log-patterns";

  public static Topology buildTopology(LogPatternsSettings settings, AvroSerdes serdes, MeterRegistry meters) {
    Serde<MetricPoint> metricSerde = serdes.metricPoint();
    Counter countsOut = Counter.builder("autonomic.log_patterns.counts.out")
        .description("log.template.count points emitted").register(meters);
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CATALOG_STORE),
        Serdes.String(), JsonSerde.of(TemplateInfo.class)).withCachingEnabled());

    KStream<String, MinedLog> mined = builder
        .stream(Topics.LOGS.name(), Consumed.with(Serdes.String(), serdes.logRecord())
            .withTimestampExtractor(new LogEventTime()).withName("logs"))
        .filter((entity, log) -> entity != null && log != null, Named.as("with-entity"))
        .processValues(() -> new TemplateMiningProcessor(settings, meters), Named.as("mine"), CATALOG_STORE);

    mined.filter((entity, log) -> log.newAtWarn(), Named.as("new-at-warn"))
        .mapValues((entity, log) -> newTemplateSignal(entity, log), Named.as("new-template-signal"))
        .to(Topics.METRICS.name(), Produced.with(Serdes.String(), metricSerde).withName("new-templates"));

    mined.groupByKey(Grouped.with(Serdes.String(), JsonSerde.of(MinedLog.class)))
        .windowedBy(TimeWindows.ofSizeAndGrace(settings.window(), settings.grace()))
        .aggregate(TemplateCounts::new, (entity, log, counts) -> counts.add(log),
            Named.as("count-templates"),
            Materialized.<String, TemplateCounts, WindowStore<Bytes, byte[]>>as("log-template-counts")
                .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(TemplateCounts.class)))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("until-window-closes"))
        .toStream(Named.as("closed-windows"))
        .flatMap((window, counts) -> {
          List<KeyValue<String, MetricPoint>> points = new ArrayList<>();
          counts.counts.forEach((templateId, count) -> points.add(KeyValue.pair(window.key(),
              MetricPoint.newBuilder().setEntityId(window.key()).setMetric(COUNT_METRIC).setValue(count)
                  .setUnit(null).setEventTime(Instant.ofEpochMilli(window.window().start()))
                  .setEntityKind(counts.entityKind).setTags(Map.of(TEMPLATE_TAG, templateId))
                  .setSource(SOURCE).build())));
          countsOut.increment(points.size());
          return points;
        }, Named.as("to-metric-points"))
        .to(Topics.METRICS.name(), Produced.with(Serdes.String(), metricSerde).withName("template-counts"));
    return builder.build();
  }

  static MetricPoint newTemplateSignal(String entity, MinedLog log) {
    String pattern = log.pattern().length() > 200 ? log.pattern().substring(0, 200) : log.pattern();
    return MetricPoint.newBuilder().setEntityId(entity).setMetric(NEW_TEMPLATE_METRIC).setValue(1.0).setUnit(null)
        .setEventTime(Instant.ofEpochMilli(log.eventTime())).setEntityKind(log.entityKind())
        .setTags(Map.of(TEMPLATE_TAG, log.templateId(), "severity", String.valueOf(log.severity()),
            "pattern", pattern))
        .setSource(SOURCE).build();
  }

  /** Event time of a log record (see {@link EventTimes} for implausible values). */
  static final class LogEventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      long eventTime = record.value() instanceof LogRecord log && log.getEventTime() != null
          ? log.getEventTime().toEpochMilli() : -1;
      return EventTimes.choose(eventTime, record.timestamp(), partitionTime, System.currentTimeMillis());
    }
  }
}
