package io.autonomic.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole local stack for an integration test class: one real Kafka broker
 * ({@link KafkaBrokerExtension}) and one real schema registry ({@link RegistryExtension}), each
 * started once per JVM and shared by every class. Declare {@link TestBroker} and {@link TestRegistry}
 * parameters where you need them.
 *
 * <pre>{@code
 * @IntegrationStack
 * class MetricsRoundTripITCase {
 *     @Test
 *     void roundTrip(TestBroker broker, TestRegistry registry) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
// Registry first: its beforeAll only launches the process, which then boots while the broker starts.
@ExtendWith({RegistryExtension.class, KafkaBrokerExtension.class})
public @interface IntegrationStack {
}
