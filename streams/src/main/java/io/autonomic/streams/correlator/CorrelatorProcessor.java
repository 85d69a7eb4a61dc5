package io.autonomic.streams.correlator;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin shell around {@link Correlator}: loads and stores groups, and drives their timers.
 *
 * <p>"Now" is event time. Between anomalies it is extrapolated by the wall clock elapsed since stream time last
 * moved, so incidents still resolve when anomalies stop altogether; while a backlog is replayed, stream time
 * drives everything and the result does not depend on how fast the replay runs.
 */
final class CorrelatorProcessor implements Processor<String, AnomalyEvent, String, Incident> {
  private static final Logger LOG = LoggerFactory.getLogger(CorrelatorProcessor.class);

  private final Correlator correlator;
  private final Duration tick;
  private final Counter anomaliesIn;
  private final Counter duplicates;
  private final Counter suppressed;
  private final MeterRegistry meters;
  private ProcessorContext<String, Incident> context;
  private KeyValueStore<String, IncidentGroup> groups;
  private long lastStreamTime = -1;
  private long wallAtLastStreamTime;
  private long lastNow = Long.MIN_VALUE;

  CorrelatorProcessor(Correlator correlator, MeterRegistry meters, Duration tick) {
    this.correlator = correlator;
    this.tick = tick;
    this.meters = meters;
    this.anomaliesIn = Counter.builder("autonomic.correlator.anomalies.in")
        .description("Anomalies read by the correlator").register(meters);
    this.duplicates = Counter.builder("autonomic.correlator.anomalies.duplicate")
        .description("Anomalies dropped as repeats of one already folded in").register(meters);
    this.suppressed = Counter.builder("autonomic.correlator.anomalies.suppressed")
        .description("Anomalies of groups that never met the m-of-n rule (flapping or one-off)").register(meters);
  }

  @Override
  public void init(ProcessorContext<String, Incident> context) {
    this.context = context;
    this.groups = context.getStateStore(CorrelatorTopology.GROUP_STORE);
    context.schedule(tick, PunctuationType.STREAM_TIME, this::tickAll);
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, wall -> {
      long streamTime = context.currentStreamTimeMs();
      if (streamTime < 0) {
        return;
      }
      if (streamTime != lastStreamTime) {
        lastStreamTime = streamTime;
        wallAtLastStreamTime = wall;
      }
      tickAll(streamTime + Math.max(0, wall - wallAtLastStreamTime));
    });
  }

  @Override
  public void process(Record<String, AnomalyEvent> record) {
    if (record.value() == null || record.key() == null) {
      return;
    }
    anomaliesIn.increment();
    long streamTime = Math.max(context.currentStreamTimeMs(), record.timestamp());
    if (streamTime != lastStreamTime) {
      lastStreamTime = streamTime;
      wallAtLastStreamTime = context.currentSystemTimeMs();
    }
    long now = now(streamTime);
    IncidentGroup group = groups.get(record.key());
    if (group == null) {
      group = correlator.newGroup(record.key(), now);
    }
    if (correlator.add(group, record.value()) == Correlator.Folded.DUPLICATE) {
      duplicates.increment();
      return;
    }
    apply(record.key(), group, correlator.advance(group, now), now);
  }

  private void tickAll(long time) {
    long now = now(time);
    List<KeyValue<String, IncidentGroup>> all = new ArrayList<>();
    try (KeyValueIterator<String, IncidentGroup> it = groups.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, IncidentGroup> kv : all) {
      Correlator.Step step = correlator.advance(kv.value, now);
      if (step.emitted() != null || step.finished()) {
        apply(kv.key, kv.value, step, now);
      }
    }
  }

  private long now(long candidate) {
    lastNow = Math.max(lastNow, candidate);
    return lastNow;
  }

  private void apply(String key, IncidentGroup group, Correlator.Step step, long now) {
    Incident incident = step.emitted();
    if (incident != null) {
      context.forward(new Record<>(incident.getIncidentId(), incident, now));
      Counter.builder("autonomic.correlator.incidents.out").tag("state", incident.getState().name())
          .description("Incident changes published, by state").register(meters).increment();
      LOG.info("incident={} state={} revision={} severity={} entities={} anomalies={} group={}",
          incident.getIncidentId(), incident.getState(), incident.getRevision(), incident.getSeverity(),
          incident.getEntities().size(), incident.getAnomalyCount(), key);
    }
    if (step.suppressed() > 0) {
      suppressed.increment(step.suppressed());
      LOG.info("group={} dropped: {} anomalies never met {} of {} windows", key, step.suppressed(),
          correlator.settings().openWindows(), correlator.settings().ofWindows());
    }
    if (step.finished()) {
      groups.delete(key);
    } else {
      groups.put(key, group);
    }
  }
}
