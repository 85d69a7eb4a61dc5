package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The meta-annotation brings both extensions; they are the ones the other classes of this JVM use. */
@IntegrationStack
class IntegrationStackITCase {

    @Test
    void theStackGivesABrokerAndARegistryThatWorkTogether(TestBroker broker, TestRegistry registry) {
        String topic = broker.uniqueTopic("stack");
        broker.createTopic(topic, 1);
        int schemaId = registry.registerAvroSchema(topic + "-value", "{\"type\":\"string\"}");

        // A record that carries the registry's schema id, as the Confluent wire format does.
        byte[] value = new byte[] {0, 0, 0, 0, (byte) schemaId, 'o', 'k'};
        broker.produceRaw(topic, List.of(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), value)));

        assertThat(broker.consumeRaw(topic, 1, Duration.ofSeconds(30)))
                .singleElement().satisfies(r -> assertThat(r.value()).containsExactly(value));
        if (KafkaBrokerExtension.externalBootstrapServers() == null) {
            assertThat(KafkaBrokerExtension.brokersStartedInThisJvm()).isEqualTo(1);
        }
        if (!registry.external()) {
            assertThat(RegistryExtension.registriesStartedInThisJvm()).isEqualTo(1);
        }
    }
}
