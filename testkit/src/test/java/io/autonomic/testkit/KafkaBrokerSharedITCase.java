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

/** A second class on the same broker as {@link KafkaBrokerExtensionITCase}. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerSharedITCase {

    @Test
    void aSecondTestClassGetsTheSameBroker(TestBroker broker) {
        BrokerProbe.BOOTSTRAP_SEEN_BY_CLASS.put(getClass().getSimpleName(), broker.bootstrapServers());

        if (KafkaBrokerExtension.externalBootstrapServers() == null) {
            assertThat(KafkaBrokerExtension.brokersStartedInThisJvm()).isEqualTo(1);
        }
        assertThat(BrokerProbe.BOOTSTRAP_SEEN_BY_CLASS.values()).containsOnly(broker.bootstrapServers());
    }

    @Test
    void keysAndValuesRoundTripThroughATransaction(TestBroker broker) {
        String topic = broker.uniqueTopic("shared");
        broker.createTopic(topic, 1);

        broker.produceTransactionally(topic, new StringSerializer(), new StringSerializer(),
                List.of(new ProducerRecord<>(topic, "host-1", "cpu=0.93")));
        List<ConsumerRecord<String, String>> records = broker.consume(topic, new StringDeserializer(),
                new StringDeserializer(), 1, Duration.ofSeconds(30));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("host-1");
            assertThat(r.value()).isEqualTo("cpu=0.93");
        });
    }
}
