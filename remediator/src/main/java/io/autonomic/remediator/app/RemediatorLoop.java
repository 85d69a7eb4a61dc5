package io.autonomic.remediator.app;

import io.autonomic.avro.ActionResult;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.AuditRecord;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.Incident;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.remediator.core.Remediator;
import io.autonomic.remediator.core.RemediatorState;
import io.autonomic.remediator.policy.PolicyStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remediator's exactly-once read-process-write loop: poll the inputs (anomalies or incidents, results,
 * approvals), let the core decide, then write the commands, audit records, state changes and the input offsets
 * in one Kafka transaction. A crash at any point leaves either all of a batch's effects or none of them; on
 * start, {@code initTransactions} aborts the dead instance's open transaction, the state is restored from the
 * compacted changelog, and consumption resumes from the committed offsets. Command ids are (incident, step),
 * and the restored state knows which steps were issued, so a replayed batch never issues a second command.
 *
 * <p>One active instance per application id: the inputs are assigned (not subscribed) and the fixed
 * transactional id fences a previous instance. Scaling out means more application ids over disjoint inputs.
 */
public final class RemediatorLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(RemediatorLoop.class);

  /** Topic names, so tests can run on unique topics. */
  public record TopicNames(String input, boolean incidents, String actions, String results, String audit,
      String approvals, String state, String dlq) {}

  private final Map<String, Object> kafka;
  private final Map<String, Object> registry;
  private final TopicNames topics;
  private final String applicationId;
  private final Remediator remediator;
  private final TransactionBuffer buffer;
  private final PolicyStore policies;
  private final Clock clock;
  private final Duration pollTimeout;
  private final Duration reloadInterval;
  private final int maxPollRecords;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile KafkaConsumer<String, byte[]> consumer;
  private long transactions;
  private long deadLetters;

  RemediatorLoop(Map<String, Object> kafka, Map<String, Object> registry, TopicNames topics, String applicationId,
      Remediator remediator, TransactionBuffer buffer, PolicyStore policies, Clock clock, Duration pollTimeout,
      Duration reloadInterval, int maxPollRecords) {
    this.kafka = kafka;
    this.registry = registry;
    this.topics = topics;
    this.applicationId = applicationId;
    this.remediator = remediator;
    this.buffer = buffer;
    this.policies = policies;
    this.clock = clock;
    this.pollTimeout = pollTimeout;
    this.reloadInterval = reloadInterval;
    this.maxPollRecords = maxPollRecords;
  }

  public boolean ready() {
    return ready.get();
  }

  public long transactions() {
    return transactions;
  }

  public long deadLetters() {
    return deadLetters;
  }

  /** Asks the loop to stop after the current batch and waits until it has. */
  public void stop(Duration wait) throws InterruptedException {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    stopped.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
        new ByteArraySerializer());
        KafkaConsumer<String, byte[]> in = new KafkaConsumer<>(consumerProps(applicationId), new StringDeserializer(),
            new ByteArrayDeserializer());
        AvroSerializer<Object> avroOut = new AvroSerializer<>();
        AvroDeserializer<AnomalyEvent> anomalies = AvroDeserializer.specific(AnomalyEvent.class);
        AvroDeserializer<Incident> incidents = AvroDeserializer.specific(Incident.class);
        AvroDeserializer<ActionResult> results = AvroDeserializer.specific(ActionResult.class);
        AvroDeserializer<AuditRecord> approvals = AvroDeserializer.specific(AuditRecord.class)) {
      consumer = in;
      avroOut.configure(registry, false);
      anomalies.configure(registry, false);
      incidents.configure(registry, false);
      results.configure(registry, false);
      approvals.configure(registry, false);
      // Fences a previous instance and aborts its open transaction, before we read state and offsets.
      producer.initTransactions();
      List<TopicPartition> inputs = partitions(in, List.of(topics.input(), topics.results(), topics.approvals()));
      in.assign(inputs);
      restore();
      ready.set(true);
      LOG.info("remediator running applicationId={} input={} partitions={} incidents={}", applicationId,
          topics.input(), inputs.size(), remediator.state().incidents().size());
      Instant nextReload = clock.instant().plus(reloadInterval);
      while (running.get()) {
        ConsumerRecords<String, byte[]> records;
        try {
          records = in.poll(pollTimeout);
        } catch (WakeupException e) {
          break;
        }
        if (!clock.instant().isBefore(nextReload)) {
          policies.reload();
          nextReload = clock.instant().plus(reloadInterval);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
          for (ConsumerRecord<String, byte[]> r : records) {
            process(r, anomalies, incidents, results, approvals);
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
          }
          remediator.tick();
          if (offsets.isEmpty() && buffer.isEmpty() && !remediator.state().hasChanges()) {
            continue;
          }
          producer.beginTransaction();
          for (ProducerRecord<String, Object> r : buffer.drain()) {
            byte[] value = r.value() instanceof byte[] b ? b : avroOut.serialize(r.topic(), r.value());
            producer.send(new ProducerRecord<>(r.topic(), r.key(), value));
          }
          for (Map.Entry<String, byte[]> e : remediator.state().drainChanges().entrySet()) {
            producer.send(new ProducerRecord<>(topics.state(), e.getKey(), e.getValue()));
          }
          if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, in.groupMetadata());
          }
          producer.commitTransaction();
          transactions++;
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
            | AuthorizationException e) {
          LOG.error("remediator stopping: producer fenced or not authorized ({}); another instance with "
              + "applicationId={} took over", e.getClass().getSimpleName(), applicationId);
          break;
        } catch (KafkaException e) {
          LOG.warn("transaction aborted, restoring state and rewinding to the committed offsets: {}", e.toString());
          try {
            producer.abortTransaction();
          } catch (KafkaException ignored) {
            // nothing was begun, or the producer is already in error: the restore below still applies
          }
          buffer.clear();
          restore();
          rewind(in, inputs);
        }
      }
    } catch (WakeupException e) {
      LOG.info("remediator stopped while starting");
    } finally {
      ready.set(false);
      stopped.countDown();
      LOG.info("remediator stopped after {} transactions", transactions);
    }
  }

  private void process(ConsumerRecord<String, byte[]> r, AvroDeserializer<AnomalyEvent> anomalies,
      AvroDeserializer<Incident> incidents, AvroDeserializer<ActionResult> results,
      AvroDeserializer<AuditRecord> approvals) {
    if (r.value() == null) {
      return; // a tombstone carries no event
    }
    try {
      if (r.topic().equals(topics.input())) {
        if (topics.incidents()) {

          remediator.onIncident(incidents.deserialize(r.topic(), r.value()));
        } else {

          remediator.onAnomaly(anomalies.deserialize(r.topic(), r.value()));
        }
      } else if (r.topic().equals(topics.results())) {
        remediator.onResult(results.deserialize(r.topic(), r.value()));
      } else if (r.topic().equals(topics.approvals())) {
        remediator.onApproval(approvals.deserialize(r.topic(), r.value()));
      }
    } catch (KafkaException | IllegalArgumentException | NullPointerException | IllegalStateException e) {
      // A record we cannot read or use: to the DLQ with where it came from, in the same transaction.
      deadLetters++;
      DeadLetter d = DeadLetter.newBuilder()
          .setReason("remediator cannot process record of " + r.topic() + "[" + r.partition() + "]@" + r.offset()
              + ": " + e.getMessage())
          .setSourceTopic(r.topic())
          .setSourcePartition(r.partition())
          .setSourceOffset(r.offset())
          .setKey(r.key() == null ? null : ByteBuffer.wrap(r.key().getBytes(StandardCharsets.UTF_8)))
          .setValue(ByteBuffer.wrap(r.value()))
          .setErrorClass(e.getClass().getName())
          .setFailedAt(clock.instant())
          .setProcessor("remediator")
          .setSourceTimestamp(Instant.ofEpochMilli(r.timestamp()))
          .build();
      buffer.add(new ProducerRecord<>(topics.dlq(), r.topic(), d));
      LOG.warn("record to DLQ topic={} partition={} offset={} reason={}", r.topic(), r.partition(), r.offset(),
          e.getMessage());
    }
  }

  /** Reads the whole changelog (read_committed) into a fresh state. */
  private void restore() {
    RemediatorState state = remediator.state();
    state.clear();
    Map<String, Object> props = consumerProps(null);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = partitions(c, List.of(topics.state()));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long n = 0;
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          state.restore(r.key(), r.value());
          n++;
        }
      }
      state.drainChanges(); // restored, not changed
      LOG.info("state restored records={} incidents={}", n, state.incidents().size());
    }
  }

  private static void rewind(KafkaConsumer<String, byte[]> in, List<TopicPartition> inputs) {
    Map<TopicPartition, OffsetAndMetadata> committed = in.committed(Set.copyOf(inputs));
    List<TopicPartition> none = new ArrayList<>();
    for (TopicPartition tp : inputs) {
      OffsetAndMetadata o = committed.get(tp);
      if (o == null) {
        none.add(tp);
      } else {
        in.seek(tp, o.offset());
      }
    }
    in.seekToBeginning(none);
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, List<String> names) {
    List<TopicPartition> out = new ArrayList<>();
    for (String t : names) {
      List<PartitionInfo> infos = c.partitionsFor(t, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic '" + t + "' does not exist; create it first (./autonomic up "
            + "creates every topic of the contract)");
      }
      infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
    }
    return out;
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, applicationId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    return p;
  }

  private Map<String, Object> consumerProps(String group) {
    Map<String, Object> p = new HashMap<>(kafka);
    if (group != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    } else {
      p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    return p;
  }
}
