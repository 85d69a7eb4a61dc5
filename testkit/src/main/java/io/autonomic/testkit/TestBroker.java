package io.autonomic.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A real Kafka broker shared by the test classes of one JVM, and client helpers for it.
 *
 * <p>Injected by {@link KafkaBrokerExtension} (in-JVM broker) or {@link TestcontainersKafkaExtension}
 * (Docker) into constructors, {@code @BeforeAll}, {@code @BeforeEach} and {@code @Test} methods.
 * The broker is shared: use {@link #uniqueTopic(String)} and {@link #uniqueId(String)} so that test
 * classes do not see each other's records, groups or transactions.
 */
public interface TestBroker {

    /** {@code host:port[,host:port]} for {@code bootstrap.servers}. */
    String bootstrapServers();

    /**
     * A shared admin client. It belongs to the broker: closing it is a no-op, it is closed when the
     * broker stops.
     */
    Admin admin();

    /**
     * Creates the topic (broker-default replication, 1 here) and waits until every partition has a
     * leader. Idempotent: an existing topic with the same partition count is accepted; one with a
     * different partition count is an {@link IllegalStateException}.
     */
    void createTopic(String name, int partitions);

    /** As {@link #createTopic(String, int)}, with topic configs (e.g. {@code cleanup.policy=compact}). */
    void createTopic(String name, int partitions, Map<String, String> configs);

    /** {@code bootstrap.servers}, {@code acks=all}, {@code enable.idempotence=true}; no serializers. A fresh mutable map. */
    Map<String, Object> producerProps();

    /** {@link #producerProps()} plus {@code transactional.id}. A fresh mutable map. */
    Map<String, Object> transactionalProducerProps(String transactionalId);

    /**
     * {@code bootstrap.servers}, {@code group.id}, {@code isolation.level=read_committed},
     * {@code auto.offset.reset=earliest}; no deserializers. A fresh mutable map.
     */
    Map<String, Object> consumerProps(String groupId);

    /**
     * Sends the records to {@code topic} (each record's own topic is replaced; its partition, timestamp,
     * key, value and headers are kept) with an idempotent producer, and waits for every acknowledgement.
     * The serializers are not closed.
     *
     * @return the metadata of each record, in order
     */
    <K, V> List<RecordMetadata> produce(String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer,
                                        List<ProducerRecord<K, V>> records);

    /** As {@link #produce}, but in one transaction that is committed (a fresh transactional id each call). */
    <K, V> List<RecordMetadata> produceTransactionally(String topic, Serializer<K> keySerializer,
                                                       Serializer<V> valueSerializer,
                                                       List<ProducerRecord<K, V>> records);

    /** {@link #produce} with byte arrays. */
    List<RecordMetadata> produceRaw(String topic, List<ProducerRecord<byte[], byte[]>> records);

    /**
     * Reads {@code topic} from the beginning of every partition, {@code read_committed}, without a
     * consumer group, until at least {@code count} records arrived, then on to the end of every
     * partition as it is at that moment (its last stable offset; for at most 5 s more), so the first
     * poll that reached {@code count} does not hide records committed before the call.
     *
     * @return every record committed by the time {@code count} was reached (so at least {@code count}:
     *         more when more were already there, which shows duplicates), in fetch order
     * @throws org.opentest4j.AssertionFailedError when fewer than {@code count} arrived within
     *         {@code timeout}; the message says how many did and shows the first ones
     */
    <K, V> List<ConsumerRecord<K, V>> consume(String topic, Deserializer<K> keyDeserializer,
                                              Deserializer<V> valueDeserializer, int count, Duration timeout);

    /** {@link #consume} with byte arrays. */
    List<ConsumerRecord<byte[], byte[]>> consumeRaw(String topic, int count, Duration timeout);

    /** A topic name no other test uses: {@code prefix-<n>-<random>}. */
    default String uniqueTopic(String prefix) {
        return UniqueNames.next(prefix);
    }

    /** A group id, transactional id or application id no other test uses. */
    default String uniqueId(String prefix) {
        return UniqueNames.next(prefix);
    }
}
