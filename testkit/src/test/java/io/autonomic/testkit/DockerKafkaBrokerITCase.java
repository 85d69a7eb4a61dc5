package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs against a Kafka container where Docker is available; skipped (with the reason) where it is
 * not. {@link NoDockerSkipsContainerVariantITCase} checks the skip.
 */
@ExtendWith(TestcontainersKafkaExtension.class)
class DockerKafkaBrokerITCase {

    @Test
    void recordsRoundTripThroughTheContainerBroker(TestBroker broker) {
        String topic = broker.uniqueTopic("container");
        broker.createTopic(topic, 1);

        broker.produceTransactionally(topic, new StringSerializer(), new StringSerializer(),
                List.of(new ProducerRecord<>(topic, "k", "v")));
        List<ConsumerRecord<String, String>> records =
                broker.consume(topic, new StringDeserializer(), new StringDeserializer(), 1, Duration.ofSeconds(60));

        assertThat(records).extracting(ConsumerRecord::value).containsExactly("v");
    }
}
