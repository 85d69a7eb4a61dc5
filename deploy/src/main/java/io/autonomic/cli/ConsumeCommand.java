package io.autonomic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.AvroJson;
import io.autonomic.registry.HttpSchemaRegistryClient;
import io.autonomic.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints a topic's records as JSON lines, one object per record:
 * {@code {"topic","partition","offset","timestamp","key","value"}} with the value decoded through the
 * registry. A value that is not in the registry wire format (or whose schema cannot be read) is printed
 * as {@code "valueBase64"} with a {@code "note"} saying why, so nothing is hidden from the reader.
 * Scripts depend on this format: keep it stable.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = "Print a topic's records as JSON lines (key, timestamp, and the value decoded through the registry).")
final class ConsumeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to read.")
  String topic;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records (default: no limit).")
  Long max;

  @Option(names = "--from-beginning", description = "Start at the earliest offset (default: only new records).")
  boolean fromBeginning;

  @Option(names = "--timeout", paramLabel = "S",
      description = "Stop when no record arrived for S seconds (default: run until Ctrl-C or --max).")
  Integer timeoutSeconds;

  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Override
  public Integer call() {
    Config config = client.load(stack.layout());
    Map<String, Object> props = new HashMap<>(ClientOptions.kafkaProperties(config));
    // Read what was committed, as downstream consumers do; assign partitions directly so no consumer
    // group (and no committed offset) is left behind by a look at a topic.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);

    try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(ClientOptions.registryProperties(config));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      AvroDeserializer<GenericContainer> values = new AvroDeserializer<>(registry);
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      if (partitions.isEmpty()) {
        spec.commandLine().getErr().println("autonomic consume: topic '" + topic + "' does not exist");
        return 2;
      }
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now, before anyone produces
      }
      AtomicBoolean stopped = new AtomicBoolean();
      Thread main = Thread.currentThread();
      Thread hook = new Thread(() -> {
        stopped.set(true);
        consumer.wakeup();
        try {
          main.join(5_000);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        long printed = print(consumer, values, spec.commandLine().getOut(), stopped);
        spec.commandLine().getErr().println("autonomic consume: " + printed + " record" + (printed == 1 ? "" : "s"));
      } finally {
        if (!stopped.get()) {
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      }
    }
    return 0;
  }

  private long print(KafkaConsumer<byte[], byte[]> consumer, AvroDeserializer<GenericContainer> values,
      PrintWriter out, AtomicBoolean stopped) {
    long printed = 0;
    Instant lastRecord = Instant.now();
    try {
      while (!stopped.get() && (max == null || printed < max)) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          if (timeoutSeconds != null
              && Duration.between(lastRecord, Instant.now()).toSeconds() >= timeoutSeconds) {
            break;
          }
          continue;
        }
        lastRecord = Instant.now();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          out.println(toJsonLine(r, values));
          printed++;
          if (max != null && printed >= max) {
            break;
          }
        }
        out.flush();
      }
    } catch (WakeupException e) {
      // Ctrl-C: print the count and leave.
    }
    return printed;
  }

  /** One record as a JSON line; public in spirit: scripts and tests read this format. */
  static String toJsonLine(ConsumerRecord<byte[], byte[]> r, AvroDeserializer<GenericContainer> values) {
    ObjectNode line = JSON.createObjectNode();
    line.put("topic", r.topic());
    line.put("partition", r.partition());
    line.put("offset", r.offset());
    line.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
    putKey(line, r.key());
    if (r.value() == null) {
      line.putNull("value");
    } else {
      try {
        GenericContainer value = values.deserialize(r.topic(), r.value());
        line.set("value", AvroJson.toJson(value));
      } catch (SerializationException e) {
        line.put("valueBase64", Base64.getEncoder().encodeToString(r.value()));
        line.put("note", e.getMessage());
      }
    }
    return line.toString();
  }

  /** Keys are text in every topic of the contract; anything else is shown as base64. */
  private static void putKey(ObjectNode line, byte[] key) {
    if (key == null) {
      line.putNull("key");
      return;
    }
    try {
      line.put("key", StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(key)).toString());
    } catch (CharacterCodingException e) {
      line.put("keyBase64", Base64.getEncoder().encodeToString(key));
    }
  }
}
