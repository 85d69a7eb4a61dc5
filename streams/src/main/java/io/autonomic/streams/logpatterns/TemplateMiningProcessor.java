package io.autonomic.streams.logpatterns;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mines each log message with {@link Drain} (after {@link LogMasker}) and keeps the template catalog in a state
 * store. The Drain tree lives in memory; after a restart or a rebalance it is rebuilt from the catalog, which is
 * what the changelog keeps.
 */
final class TemplateMiningProcessor implements FixedKeyProcessor<String, LogRecord, MinedLog> {
  private static final Logger LOG = LoggerFactory.getLogger(TemplateMiningProcessor.class);

  private final LogPatternsSettings settings;
  private final LogMasker masker = new LogMasker();
  private final Counter records;
  private final Counter created;
  private final Counter newAtWarn;
  private FixedKeyProcessorContext<String, MinedLog> context;
  private KeyValueStore<String, TemplateInfo> catalog;
  private Drain drain;

  TemplateMiningProcessor(LogPatternsSettings settings, MeterRegistry meters) {
    this.settings = settings;
    this.records = Counter.builder("autonomic.log_patterns.records").description("Log records mined")
        .register(meters);
    this.created = Counter.builder("autonomic.log_patterns.templates.created")
        .description("Templates created (never seen before)").register(meters);
    this.newAtWarn = Counter.builder("autonomic.log_patterns.templates.new_at_warn")
        .description("New templates first seen at WARN or above, emitted as signals").register(meters);
  }

  @Override
  public void init(FixedKeyProcessorContext<String, MinedLog> context) {
    this.context = context;
    this.catalog = context.getStateStore(LogPatternsTopology.CATALOG_STORE);
    this.drain = new Drain(settings.depth(), settings.similarity(), settings.maxChildren(), settings.maxTemplates(),
        TemplateMiningProcessor::templateId);
    List<TemplateInfo> known = new ArrayList<>();
    try (KeyValueIterator<String, TemplateInfo> it = catalog.all()) {
      it.forEachRemaining(kv -> known.add(kv.value));
    }
    known.sort(Comparator.comparingLong(TemplateInfo::lastSeen)); // least recent first, as the LRU expects
    int skip = Math.max(0, known.size() - settings.maxTemplates());
    for (TemplateInfo t : known.subList(skip, known.size())) {
      drain.restore(t.id(), Drain.tokenize(t.pattern()), t.count());
    }
    if (!known.isEmpty()) {
      LOG.info("task={} restored {} templates from the catalog", context.taskId(), known.size() - skip);
    }
  }

  @Override
  public void process(FixedKeyRecord<String, LogRecord> record) {
    LogRecord log = record.value();
    if (log == null) {
      return;
    }
    records.increment();
    long eventTime = log.getEventTime() == null ? record.timestamp() : log.getEventTime().toEpochMilli();
    Drain.Result result = drain.add(masker.mask(log.getMessage()));
    Drain.Template template = result.template();
    TemplateInfo before = catalog.get(template.id());
    TemplateInfo after = before == null
        ? new TemplateInfo(template.id(), template.pattern(), eventTime, eventTime, 1)
        : new TemplateInfo(template.id(), template.pattern(), Math.min(before.firstSeen(), eventTime),
            Math.max(before.lastSeen(), eventTime), before.count() + 1);
    catalog.put(template.id(), after);
    boolean isNew = result.change() == Drain.Change.CREATED && before == null;
    boolean warn = log.getSeverity() != null && log.getSeverity().ordinal() >= LogSeverity.WARN.ordinal();
    if (isNew) {
      created.increment();
      if (warn) {
        newAtWarn.increment();
        LOG.info("new template at {}: entity={} template={} pattern=\"{}\"", log.getSeverity(), record.key(),
            template.id(), template.pattern());
      }
    }
    context.forward(record.withValue(new MinedLog(template.id(), template.pattern(), isNew && warn,
        log.getSeverity() == null ? null : log.getSeverity().name(), log.getEntityKind(), eventTime)));
  }

  /** Stable id of a template: a hash of the (masked) message that created it, so a replay yields the same ids. */
  static String templateId(List<String> tokens) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(String.join(" ", tokens).getBytes(StandardCharsets.UTF_8));
      return "t" + HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
