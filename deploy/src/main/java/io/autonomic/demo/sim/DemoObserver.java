package io.autonomic.demo.sim;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.RegistryConfig;
import io.autonomic.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the loop's output topics (anomalies, incidents, actions, action-results) from the outside, as any
 * consumer could, and hands each record to {@link Events} with the instant it was seen. Reads committed records
 * from the end of each topic as of start (the run's own records only), with a throwaway group. A record that does
 * not decode is counted and logged once, not fatal: the demo reports on what it could read.
 */
public final class DemoObserver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoObserver.class);

  /** What the observer saw; called on the observer's thread. */
  public interface Events {
    void anomaly(Instant at, AnomalyEvent e);

    void incident(Instant at, Incident i);

    void command(Instant at, ActionCommand c);

    void result(Instant at, ActionResult r);
  }

  /** The four topics to watch. */
  public record TopicNames(String anomalies, String incidents, String actions, String results) {
    public static TopicNames contract() {
      return new TopicNames(Topics.ANOMALIES.name(), Topics.INCIDENTS.name(), Topics.ACTIONS.name(),
          Topics.ACTION_RESULTS.name());
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicNames topics;
  private final Events events;
  private final Clock clock;
  private final Deserializer<AnomalyEvent> anomalies = AvroDeserializer.specific(AnomalyEvent.class);
  private final Deserializer<Incident> incidents = AvroDeserializer.specific(Incident.class);
  private final Deserializer<ActionCommand> commands = AvroDeserializer.specific(ActionCommand.class);
  private final Deserializer<ActionResult> results = AvroDeserializer.specific(ActionResult.class);
  private final AtomicLong seen = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param consumerProps Kafka client settings (from {@link ClientOptions#kafkaProperties}) plus the registry's
   *                      serde settings
   */
  public DemoObserver(Map<String, Object> consumerProps, TopicNames topics, Events events, Clock clock) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "autonomic-demo-observer-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(RegistryConfig.SPECIFIC_AVRO_READER, true);
    for (Deserializer<?> d : List.of(anomalies, incidents, commands, results)) {
      d.configure(props, false);
    }
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topics = topics;
    this.events = events;
    this.clock = clock;
    this.thread = new Thread(this::loop, "demo-observer");
    this.thread.setDaemon(true);
  }

  /** An observer of the contract's topics, configured from the shared kafka.* and registry.* sections. */
  public static DemoObserver create(Config config, Events events, Clock clock) {
    Map<String, Object> props = new HashMap<>(ClientOptions.kafkaProperties(config));
    props.putAll(ClientOptions.registryProperties(config));
    return new DemoObserver(props, TopicNames.contract(), events, clock);
  }

  /**
   * Subscribes, waits until partitions are assigned (so nothing produced after this returns is missed), then
   * polls on its own thread.
   */
  public DemoObserver start(Duration assignmentTimeout) {
    consumer.subscribe(List.of(topics.anomalies(), topics.incidents(), topics.actions(), topics.results()));
    long deadline = System.nanoTime() + assignmentTimeout.toNanos();
    while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(100)).forEach(this::dispatch);
    }
    if (consumer.assignment().isEmpty()) {
      consumer.close();
      throw new IllegalStateException("demo observer got no partitions of " + topics + " within "
          + assignmentTimeout.toSeconds() + " s");
    }
    consumer.seekToEnd(consumer.assignment());
    consumer.assignment().forEach(consumer::position); // resolve the end offsets now, not at the first poll
    thread.start();
    return this;
  }

  private void loop() {
    try {
      while (running) {
        consumer.poll(Duration.ofMillis(200)).forEach(this::dispatch);
      }
    } catch (WakeupException e) {
      // close() woke the poll
    } catch (RuntimeException e) {
      LOG.error("demo observer stopped: {}", e.toString());
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private void dispatch(ConsumerRecord<byte[], byte[]> r) {
    Instant at = clock.instant();
    String topic = r.topic();
    try {
      if (topic.equals(topics.anomalies())) {
        events.anomaly(at, anomalies.deserialize(topic, r.value()));
      } else if (topic.equals(topics.incidents())) {
        events.incident(at, incidents.deserialize(topic, r.value()));
      } else if (topic.equals(topics.actions())) {
        events.command(at, commands.deserialize(topic, r.value()));
      } else if (topic.equals(topics.results())) {
        events.result(at, results.deserialize(topic, r.value()));
      }
      seen.incrementAndGet();
    } catch (RuntimeException e) {
      if (undecodable.getAndIncrement() == 0) {
        LOG.warn("demo observer cannot read a record: topic={} partition={} offset={} error={}; further ones are "
            + "only counted", topic, r.partition(), r.offset(), e.toString());
      }
    }
  }

  /** Records handed to {@link Events}. */
  public long seen() {
    return seen.get();
  }

  /** Records that did not decode. */
  public long undecodable() {
    return undecodable.get();
  }

  @Override
  public void close() {
    running = false;
    if (thread.isAlive()) {
      consumer.wakeup();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }
}
