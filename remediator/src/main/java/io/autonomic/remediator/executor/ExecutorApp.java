package io.autonomic.remediator.executor;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionResult;
import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigException;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroSerializer;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one executor against Kafka: consumes {@code actions} (read_committed), hands each command to an
 * {@link ExecutorRunner}, writes the result to {@code action-results} and only then commits the offset. On start it
 * reads the results topic to learn which command ids were already handled, so a command seen again after a crash
 * (between the action and the offset commit) is not carried out twice.
 */
public final class ExecutorApp implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorApp.class);

  private final Map<String, Object> kafka;
  private final Map<String, Object> registry;
  private final ExecutorRunner runner;
  private final ActionExecutor executor;
  private final String group;
  private final String actionsTopic;
  private final String resultsTopic;
  private final Duration pollTimeout;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean ready;
  private final AtomicBoolean started = new AtomicBoolean();

  ExecutorApp(Map<String, Object> kafka, Map<String, Object> registry, ActionExecutor executor, Clock clock,
      String group, String actionsTopic, String resultsTopic, Duration pollTimeout) {
    this.kafka = kafka;
    this.registry = registry;
    this.executor = executor;
    this.runner = new ExecutorRunner(executor, clock);
    this.group = group;
    this.actionsTopic = actionsTopic;
    this.resultsTopic = resultsTopic;
    this.pollTimeout = pollTimeout;
  }

  /** Builds the executor of {@code kind} (local, kubernetes, webhook) from the configuration. */
  public static ExecutorApp create(String kind, Config config, Clock clock) {
    ActionExecutor executor = switch (kind) {
      case "kubernetes" -> new KubernetesExecutor(new KubernetesClientBuilder().build(), clock);
      case "webhook" -> new WebhookExecutor(new WebhookExecutor.Settings(config.get(ExecutorOptions.WEBHOOK_URL),
          config.get(ExecutorOptions.WEBHOOK_FORMAT), config.get(ExecutorOptions.WEBHOOK_ROUTING_KEY),
          Math.max(1, config.get(ExecutorOptions.WEBHOOK_ATTEMPTS)), config.get(ExecutorOptions.WEBHOOK_BACKOFF),
          config.get(ExecutorOptions.WEBHOOK_TIMEOUT)));
      case "local" -> new LocalProcessExecutor(new ShellFleet(new ShellFleet.Commands(
          config.get(ExecutorOptions.LOCAL_SCALE), config.get(ExecutorOptions.LOCAL_RESTART),
          config.get(ExecutorOptions.LOCAL_FAILOVER), config.get(ExecutorOptions.LOCAL_TIMEOUT))));
      default -> throw new ConfigException("unknown executor '" + kind + "'; use local, kubernetes or webhook");
    };
    String group = Optional.ofNullable(config.get(ExecutorOptions.GROUP_ID)).orElse("autonomic-executor-" + kind);
    return create(executor, config, clock, group);
  }

  /** Runs any {@link ActionExecutor} (the demo's fleet, a test fake) against the configured Kafka. */
  public static ExecutorApp create(ActionExecutor executor, Config config, Clock clock, String group) {
    return new ExecutorApp(ClientOptions.kafkaProperties(config), ClientOptions.registryProperties(config), executor,
        clock, group, config.get(ExecutorOptions.TOPIC_ACTIONS), config.get(ExecutorOptions.TOPIC_RESULTS),
        config.get(ExecutorOptions.POLL_TIMEOUT));
  }

  public boolean ready() {
    return ready;
  }

  /** The consumer group. */
  public String group() {
    return group;
  }

  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("executor already running");
    }
    Map<String, Object> pp = new HashMap<>(kafka);
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    Map<String, Object> cp = new HashMap<>(kafka);
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    try (AvroSerializer<ActionResult> ser = new AvroSerializer<>();
        AvroDeserializer<ActionCommand> de = AvroDeserializer.specific(ActionCommand.class);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer());
        KafkaConsumer<String, byte[]> in = new KafkaConsumer<>(cp, new StringDeserializer(),
            new ByteArrayDeserializer())) {
      ser.configure(registry, false);
      de.configure(registry, false);
      consumer = in;
      int known = rememberHandled();
      in.subscribe(List.of(actionsTopic));
      ready = true;
      LOG.info("executor {} running group={} topic={} alreadyHandled={}", executor.name(), group, actionsTopic, known);
      while (running.get()) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        try {
          in.poll(pollTimeout).forEach(batch::add);
        } catch (WakeupException e) {
          break;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
          offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
          if (r.value() == null) {
            continue;
          }
          ActionCommand c;
          try {
            c = de.deserialize(r.topic(), r.value());
          } catch (RuntimeException e) {
            LOG.warn("unreadable command at {}[{}]@{} skipped: {}", r.topic(), r.partition(), r.offset(),
                e.getMessage());
            continue;
          }
          Optional<ActionResult> result = runner.handle(c);
          if (result.isPresent()) {
            producer.send(new ProducerRecord<>(resultsTopic, c.getCommandId(),
                ser.serialize(resultsTopic, result.get()))).get(30, TimeUnit.SECONDS);
          }
        }
        if (!offsets.isEmpty()) {
          try {
            in.commitSync(offsets);
          } catch (WakeupException e) {
            in.commitSync(offsets); // woken by close(): the wakeup is spent, so this commit completes
            break;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (WakeupException e) {
      LOG.info("executor {} stopped while starting", executor.name());
    } catch (Exception e) {
      LOG.error("executor {} stopped: {}", executor.name(), e.toString());
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    } finally {
      ready = false;
      executor.close();
      stopped.countDown();
    }
  }

  /** Reads every result so far and remembers the command ids, so none is carried out twice. */
  private int rememberHandled() {
    Map<String, Object> cp = new HashMap<>(kafka);
    cp.remove(ConsumerConfig.GROUP_ID_CONFIG);
    cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int n = 0;
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(resultsTopic, Duration.ofSeconds(30))
          .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.key() != null) {
            runner.remember(r.key());
            n++;
          }
        }
      }
    }
    return n;
  }

  @Override
  public void close() {
    running.set(false);
    if (!started.get()) {
      executor.close();
      return;
    }
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      stopped.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
