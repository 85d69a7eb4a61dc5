package io.autonomic.streams.testing;

import static org.awaitility.Awaitility.await;

import io.autonomic.testkit.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from the beginning, read_committed, keeping the records a test cares about (the broker is shared
 * by every test class of the JVM, so topics of the contract hold other tests' records too). {@link #awaitAll}
 * waits until the wanted records arrived, then keeps reading a little longer so that duplicates would show.
 */
public final class TopicReader<K, V> implements AutoCloseable {
  private final KafkaConsumer<K, V> consumer;
  private final Predicate<ConsumerRecord<K, V>> mine;
  private final List<ConsumerRecord<K, V>> records = new ArrayList<>();

  public TopicReader(TestBroker broker, String topic, Deserializer<K> keys, Deserializer<V> values,
      Predicate<ConsumerRecord<K, V>> mine) {
    Map<String, Object> props = broker.consumerProps(broker.uniqueId("reader"));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer = new KafkaConsumer<>(props, keys, values);
    this.mine = mine;
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  private void poll(Duration timeout) {
    for (ConsumerRecord<K, V> r : consumer.poll(timeout)) {
      if (mine.test(r)) {
        records.add(r);
      }
    }
  }

  /** Waits until {@code done} holds for the records read so far, reads on for {@code settle}, returns them all. */
  public List<ConsumerRecord<K, V>> awaitAll(Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout,
      Duration settle) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
      poll(Duration.ofMillis(200));
      return done.test(records);
    });
    long until = System.nanoTime() + settle.toNanos();
    while (System.nanoTime() < until) {
      poll(Duration.ofMillis(200));
    }
    return List.copyOf(records);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
