package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionITCase {

    private static String sharedTopic;

    private final TestBroker broker;

    KafkaBrokerExtensionITCase(TestBroker broker) {
        this.broker = broker;
    }

    @BeforeAll
    static void createTopic(TestBroker broker) {
        sharedTopic = broker.uniqueTopic("broker-itcase");
        broker.createTopic(sharedTopic, 3);
        if (KafkaBrokerExtension.lastStartupTime() != null) {
            System.out.println("[testkit] in-JVM Kafka broker cold start: "
                    + KafkaBrokerExtension.lastStartupTime().toMillis() + " ms");
        }
    }

    @Test
    void theBrokerIsStartedOncePerJvmAndSharedWithEveryTestClass() {
        BrokerProbe.BOOTSTRAP_SEEN_BY_CLASS.put(getClass().getSimpleName(), broker.bootstrapServers());

        assertThat(broker.bootstrapServers()).matches("[\\w.-]+:\\d+(,[\\w.-]+:\\d+)*");
        if (KafkaBrokerExtension.externalBootstrapServers() == null) {
            assertThat(KafkaBrokerExtension.brokersStartedInThisJvm()).isEqualTo(1);
        }
        assertThat(BrokerProbe.BOOTSTRAP_SEEN_BY_CLASS.values()).containsOnly(broker.bootstrapServers());
    }

    @Test
    void createTopicIsIdempotentAndRejectsAnotherPartitionCount() throws Exception {
        broker.createTopic(sharedTopic, 3);

        TopicDescription description = broker.admin().describeTopics(List.of(sharedTopic))
                .allTopicNames().get().get(sharedTopic);
        assertThat(description.partitions()).hasSize(3);
        assertThatThrownBy(() -> broker.createTopic(sharedTopic, 5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists with 3 partitions, not 5");
    }

    @Test
    void createTopicAppliesTopicConfigs() throws Exception {
        String topic = broker.uniqueTopic("compacted");
        broker.createTopic(topic, 1, Map.of("cleanup.policy", "compact"));

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String policy = broker.admin().describeConfigs(List.of(resource)).all().get()
                .get(resource).get("cleanup.policy").value();
        assertThat(policy).isEqualTo("compact");
    }

    @Test
    void readCommittedConsumeSeesCommittedTransactionsOnlyWhileTheAbortedRecordsAreInTheLog() {
        String topic = broker.uniqueTopic("transactions");
        broker.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                broker.transactionalProducerProps(broker.uniqueId("tx")), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted-1"));
            producer.send(new ProducerRecord<>(topic, "k", "aborted-2"));
            producer.flush(); // written to the log, then aborted (unsent records would just be dropped)
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
        }
        broker.produceTransactionally(topic, new StringSerializer(), new StringSerializer(),
                List.of(new ProducerRecord<>("ignored", "k", "committed-3")));

        List<ConsumerRecord<String, String>> committed = broker.consume(topic, new StringDeserializer(),
                new StringDeserializer(), 3, Duration.ofSeconds(30));

        assertThat(committed).extracting(ConsumerRecord::value)
                .containsExactly("committed-1", "committed-2", "committed-3");
        assertThat(readUncommitted(topic, 5)).contains("aborted-1", "aborted-2");
    }

    @Test
    void consumeReturnsEveryCommittedTransactionNotJustTheFirstPollsRecords() {
        // A read_committed poll can stop at a transaction marker: asking for "at least 1" must still return the
        // later transactions that were committed before the call (an exactly-once sink commits one per checkpoint).
        String topic = broker.uniqueTopic("many-transactions");
        broker.createTopic(topic, 1);
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                broker.transactionalProducerProps(broker.uniqueId("tx")), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (int t = 0; t < 20; t++) {
                producer.beginTransaction();
                for (int i = 0; i < 3; i++) {
                    String v = t + "-" + i;
                    producer.send(new ProducerRecord<>(topic, "k", v));
                    expected.add(v);
                }
                producer.commitTransaction();
            }
        }

        List<ConsumerRecord<String, String>> all = broker.consume(topic, new StringDeserializer(),
                new StringDeserializer(), 1, Duration.ofSeconds(30));

        assertThat(all).extracting(ConsumerRecord::value).containsExactlyElementsOf(expected);
    }

    @Test
    void produceWaitsForAcknowledgementsAndConsumeRawReturnsTheBytes() {
        String topic = broker.uniqueTopic("raw");
        broker.createTopic(topic, 2);

        var acks = broker.produce(topic, new StringSerializer(), new StringSerializer(), List.of(
                new ProducerRecord<>(topic, 0, "a", "1"), new ProducerRecord<>(topic, 1, "b", "2")));
        List<ConsumerRecord<byte[], byte[]>> raw = broker.consumeRaw(topic, 2, Duration.ofSeconds(30));

        assertThat(acks).extracting(m -> m.partition()).containsExactly(0, 1);
        assertThat(raw).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void consumeFailsWithHowManyRecordsArrivedWhenTooFewArriveInTime() {
        String topic = broker.uniqueTopic("too-few");
        broker.createTopic(topic, 1);
        broker.produce(topic, new StringSerializer(), new StringSerializer(), List.of(
                new ProducerRecord<>(topic, "k1", "v1"), new ProducerRecord<>(topic, "k2", "v2")));

        assertThatThrownBy(() -> broker.consume(topic, new StringDeserializer(), new StringDeserializer(), 3,
                Duration.ofSeconds(2)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("Expected 3 records from topic '" + topic + "'")
                .hasMessageContaining("only 2 of 3 arrived")
                .hasMessageContaining("k1=v1");
    }

    @Test
    void consumeFailsClearlyWhenTheTopicDoesNotExist() {
        String topic = broker.uniqueTopic("missing");

        assertThatThrownBy(() -> broker.consumeRaw(topic, 1, Duration.ofSeconds(2)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("the topic does not exist");
        assertThat(broker.uniqueTopic("missing")).isNotEqualTo(topic);
    }

    @Test
    void closingTheSharedAdminLeavesItUsable() throws Exception {
        broker.admin().close();

        assertThat(broker.admin().listTopics().names().get()).contains(sharedTopic);
    }

    private List<String> readUncommitted(String topic, int count) {
        Map<String, Object> props = broker.consumerProps(broker.uniqueId("uncommitted"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Awaitility.await("all " + count + " records, read_uncommitted").atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                        return values.size() >= count;
                    });
        }
        return values;
    }
}
