package io.autonomic.streams.normalizer;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.streams.common.DeadLetters;
import io.autonomic.streams.normalizer.formats.Decoded;
import io.autonomic.streams.normalizer.formats.RawFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one raw topic's records with its {@link RawFormat} and routes the results: points to the metrics sink,
 * log records to the logs sink, and a record that cannot be decoded to the DLQ sink with the reason, its source
 * and its original bytes. Nothing here throws: bad input is counted and the app keeps going.
 */
final class NormalizeProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(NormalizeProcessor.class);

  private final RawFormat format;
  private final Clock clock;
  private final Counter in;
  private final Counter metricsOut;
  private final Counter logsOut;
  private final Counter deadLettered;
  private final Counter skipped;
  private ProcessorContext<String, SpecificRecord> context;

  NormalizeProcessor(RawFormat format, MeterRegistry meters, Clock clock) {
    this.format = format;
    this.clock = clock;
    String f = format.name();
    this.in = Counter.builder("autonomic.normalizer.records.in").tag("format", f)
        .description("Raw records read").register(meters);
    this.metricsOut = Counter.builder("autonomic.normalizer.points.out").tag("format", f)
        .description("Metric points written to telemetry.metrics").register(meters);
    this.logsOut = Counter.builder("autonomic.normalizer.logs.out").tag("format", f)
        .description("Log records written to telemetry.logs").register(meters);
    this.deadLettered = Counter.builder("autonomic.normalizer.dead.letters").tag("format", f)
        .description("Raw records sent to telemetry.dlq").register(meters);
    this.skipped = Counter.builder("autonomic.normalizer.skipped").tag("format", f)
        .description("Valid parts without usable telemetry (string fields, series over the cardinality limit)")
        .register(meters);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    in.increment();
    if (record.value() == null) {
      deadLetter(record, "tombstone: the record has no value", null);
      return;
    }
    Decoded decoded;
    try {
      decoded = format.decode(record.value(), record.headers(), record.timestamp());
    } catch (MalformedTelemetryException e) {
      deadLetter(record, e.getMessage(), e);
      return;
    } catch (RuntimeException e) {
      // A bug or an input no rule foresaw: still no crash, and the record is kept for a replay once fixed.
      deadLetter(record, format.name() + ": unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      return;
    }
    for (MetricPoint point : decoded.metrics()) {
      context.forward(new Record<String, SpecificRecord>(point.getEntityId(), point, record.timestamp()),
          NormalizerTopology.METRICS_SINK);
    }
    for (LogRecord log : decoded.logs()) {
      context.forward(new Record<String, SpecificRecord>(log.getEntityId(), log, record.timestamp()),
          NormalizerTopology.LOGS_SINK);
    }
    metricsOut.increment(decoded.metrics().size());
    logsOut.increment(decoded.logs().size());
    skipped.increment(decoded.skipped());
  }

  private void deadLetter(Record<byte[], byte[]> record, String reason, Throwable error) {
    DeadLetter letter = DeadLetters.of(reason, error, "normalizer:" + format.name(), context.recordMetadata(),
        record.key(), record.value(), record.timestamp(), record.headers(), clock.instant());
    context.forward(new Record<String, SpecificRecord>(letter.getSourceTopic(), letter, record.timestamp()),
        NormalizerTopology.DLQ_SINK);
    deadLettered.increment();
    LOG.warn("dead-lettered topic={} partition={} offset={} reason=\"{}\"", letter.getSourceTopic(),
        letter.getSourcePartition(), letter.getSourceOffset(), reason);
  }
}
