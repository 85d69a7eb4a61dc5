package io.autonomic.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.awaitility.Awaitility;
import org.opentest4j.AssertionFailedError;

/** {@link TestBroker} for any reachable broker, given its bootstrap servers. */
final class ClientTestBroker implements TestBroker, AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String description;
    private final Admin admin;
    private final Admin sharedAdmin;

    ClientTestBroker(String bootstrapServers, String description) {
        this.bootstrapServers = bootstrapServers;
        this.description = description;
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "autonomic-testkit-admin");
        this.admin = Admin.create(props);
        this.sharedAdmin = unclosable(admin);
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Admin admin() {
        return sharedAdmin;
    }

    @Override
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
        try {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic '" + name + "': " + e.getCause(), e.getCause());
            }
            int existing = describe(name).partitions().size();
            if (existing != partitions) {
                throw new IllegalStateException("Topic '" + name + "' already exists with " + existing
                        + " partitions, not " + partitions);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Creating topic '" + name + "' timed out after " + ADMIN_TIMEOUT, e);
        }
        // The controller has accepted the topic; wait until the broker serves every partition.
        Awaitility.await("leaders for every partition of " + name)
                .atMost(ADMIN_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    TopicDescription d = describe(name);
                    return d.partitions().size() == partitions
                            && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                });
    }

    private TopicDescription describe(String name) {
        try {
            return admin.describeTopics(List.of(name)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not describe topic '" + name + "': " + e, e);
        }
    }

    @Override
    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return props;
    }

    @Override
    public Map<String, Object> transactionalProducerProps(String transactionalId) {
        Map<String, Object> props = producerProps();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return props;
    }

    @Override
    public Map<String, Object> consumerProps(String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    @Override
    public <K, V> List<RecordMetadata> produce(String topic, Serializer<K> keySerializer,
                                               Serializer<V> valueSerializer, List<ProducerRecord<K, V>> records) {
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(producerProps(),
                unclosable(keySerializer), unclosable(valueSerializer))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<K, V> r : records) {
                sent.add(producer.send(retarget(topic, r)));
            }
            producer.flush();
            return await(sent, topic);
        }
    }

    @Override
    public <K, V> List<RecordMetadata> produceTransactionally(String topic, Serializer<K> keySerializer,
                                                              Serializer<V> valueSerializer,
                                                              List<ProducerRecord<K, V>> records) {
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(
                transactionalProducerProps(uniqueId("autonomic-testkit-tx")),
                unclosable(keySerializer), unclosable(valueSerializer))) {
            producer.initTransactions();
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            try {
                for (ProducerRecord<K, V> r : records) {
                    sent.add(producer.send(retarget(topic, r)));
                }
                producer.commitTransaction();
            } catch (RuntimeException e) {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException abortFailure) {
                    e.addSuppressed(abortFailure);
                }
                throw e;
            }
            return await(sent, topic);
        }
    }

    @Override
    public List<RecordMetadata> produceRaw(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        return produce(topic, new ByteArraySerializer(), new ByteArraySerializer(), records);
    }

    private static <K, V> ProducerRecord<K, V> retarget(String topic, ProducerRecord<K, V> r) {
        return new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), r.value(), r.headers());
    }

    private static List<RecordMetadata> await(List<Future<RecordMetadata>> sent, String topic) {
        List<RecordMetadata> result = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> f : sent) {
            try {
                result.add(f.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while producing to " + topic, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Producing to '" + topic + "' failed: " + e, e);
            }
        }
        return result;
    }

    @Override
    public <K, V> List<ConsumerRecord<K, V>> consume(String topic, Deserializer<K> keyDeserializer,
                                                     Deserializer<V> valueDeserializer, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, uniqueId("autonomic-testkit-consume"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props,
                unclosable(keyDeserializer), unclosable(valueDeserializer))) {
            List<PartitionInfo> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                try {
                    List<PartitionInfo> found = consumer.partitionsFor(topic, remaining(deadline, Duration.ofSeconds(1)));
                    partitions = found == null ? List.of() : found;
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    partitions = List.of();
                }
            }
            if (partitions.isEmpty()) {
                throw new AssertionFailedError("Expected " + count + " records from topic '" + topic
                        + "' within " + timeout + " but the topic does not exist on " + description);
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            while (received.size() < count && System.nanoTime() < deadline) {
                consumer.poll(remaining(deadline, Duration.ofMillis(200))).forEach(received::add);
            }
            // The first poll that reached count may hold only part of what is committed: read on to the last
            // stable offset as of now (for at most 5 s), so the caller sees every record already committed.
            if (received.size() >= count) {
                long readOn = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(5).toNanos());
                Map<TopicPartition, Long> end = consumer.endOffsets(assigned, remaining(readOn, Duration.ofSeconds(5)));
                while (!reached(consumer, end) && System.nanoTime() < readOn) {
                    consumer.poll(remaining(readOn, Duration.ofMillis(200))).forEach(received::add);
                }
            }
        }
        if (received.size() < count) {
            throw new AssertionFailedError("Expected " + count + " records from topic '" + topic + "' within "
                    + timeout + " (read_committed) but only " + received.size() + " of " + count + " arrived"
                    + (received.isEmpty() ? "" : "; first: " + summary(received)));
        }
        return received;
    }

    @Override
    public List<ConsumerRecord<byte[], byte[]>> consumeRaw(String topic, int count, Duration timeout) {
        return consume(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), count, timeout);
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static Duration remaining(long deadlineNanos, Duration max) {
        long left = Math.max(1, deadlineNanos - System.nanoTime());
        return Duration.ofNanos(Math.min(left, max.toNanos()));
    }

    private static String summary(List<? extends ConsumerRecord<?, ?>> records) {
        return records.stream().limit(5)
                .map(r -> r.partition() + "@" + r.offset() + " " + show(r.key()) + "=" + show(r.value()))
                .collect(Collectors.joining(", ", "[", records.size() > 5 ? ", ...]" : "]"));
    }

    private static String show(Object o) {
        if (o instanceof byte[]) {
            return "byte[" + ((byte[]) o).length + "]";
        }
        String s = String.valueOf(o);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return description;
    }

    // The caller keeps ownership of the serdes it passes in: the clients we create must not close them.

    static <T> Serializer<T> unclosable(Serializer<T> delegate) {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T data) {
                return delegate.serialize(topic, data);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T data) {
                return delegate.serialize(topic, headers, data);
            }

            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                delegate.configure(configs, isKey);
            }

            @Override
            public void close() {
            }
        };
    }

    static <T> Deserializer<T> unclosable(Deserializer<T> delegate) {
        return new Deserializer<>() {
            @Override
            public T deserialize(String topic, byte[] data) {
                return delegate.deserialize(topic, data);
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return delegate.deserialize(topic, headers, data);
            }

            @Override
            public T deserialize(String topic, Headers headers, ByteBuffer data) {
                return delegate.deserialize(topic, headers, data);
            }

            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                delegate.configure(configs, isKey);
            }

            @Override
            public void close() {
            }
        };
    }

    private static Admin unclosable(Admin delegate) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "close":
                    return null;
                case "toString":
                    return "shared " + delegate;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        };
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, handler);
    }
}
