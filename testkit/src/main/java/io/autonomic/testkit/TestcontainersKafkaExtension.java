package io.autonomic.testkit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker variant of {@link KafkaBrokerExtension}: one {@code apache/kafka} container per JVM
 * (Testcontainers' {@link KafkaContainer}, KRaft), resolving the same {@link TestBroker} parameters.
 * Do not combine it with {@link KafkaBrokerExtension} on one class (both resolve {@link TestBroker}).
 *
 * <p>Without a Docker engine the test class is skipped with the reason, never failed: disabled by
 * {@link ExecutionCondition} (so reports list it as skipped), and {@code Assumptions.abort} wherever
 * the broker is asked for anyway (e.g. {@link #broker(ExtensionContext)} from another extension).
 * The image is {@value #DEFAULT_IMAGE} unless the system property {@value #IMAGE_PROPERTY} says otherwise.
 */
public class TestcontainersKafkaExtension
        implements ExecutionCondition, BeforeAllCallback, TestInstancePreConstructCallback, ParameterResolver {

    public static final String DEFAULT_IMAGE = "apache/kafka:4.2.2";
    public static final String IMAGE_PROPERTY = "autonomic.test.kafka.image";

    private static final Logger LOG = LoggerFactory.getLogger(TestcontainersKafkaExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TestcontainersKafkaExtension.class);

    private static volatile String dockerProblem; // null = not checked yet, "" = Docker is there

    /** Skips the class (reported as skipped, with the reason) when there is no Docker. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String problem = dockerProblem();
        return problem.isEmpty()
                ? ConditionEvaluationResult.enabled("Docker is available")
                : ConditionEvaluationResult.disabled(skipReason(problem));
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        requireDocker();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        requireDocker();
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    /** The JVM-wide container broker, started on first use (aborts the caller when there is no Docker). */
    public static TestBroker broker(ExtensionContext context) {
        requireDocker();
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedContainer.class, key -> SharedContainer.start(), SharedContainer.class)
                .clients;
    }

    /** Aborts (skips) the current test or class when Docker cannot be used. */
    static void requireDocker() {
        String problem = dockerProblem();
        if (!problem.isEmpty()) {
            Assumptions.abort(skipReason(problem));
        }
    }

    static String skipReason(String problem) {
        return "Docker is not available (" + problem
                + "): Testcontainers variant skipped; the in-JVM broker covers these tests";
    }

    /** Empty when Testcontainers can reach a Docker engine, else why not. */
    static String dockerProblem() {
        String problem = dockerProblem;
        if (problem == null) {
            try {
                problem = DockerClientFactory.instance().isDockerAvailable() ? ""
                        : "Testcontainers found no Docker environment"
                        + (System.getenv("DOCKER_HOST") != null ? " at DOCKER_HOST=" + System.getenv("DOCKER_HOST")
                                : ": no DOCKER_HOST and no reachable /var/run/docker.sock");
            } catch (RuntimeException | LinkageError e) {
                problem = "Testcontainers could not check for Docker: " + e;
            }
            dockerProblem = problem;
        }
        return problem;
    }

    @SuppressWarnings("deprecation") // CloseableResource too, for runs that disable closing AutoCloseables
    static final class SharedContainer implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        final KafkaContainer container;
        final ClientTestBroker clients;

        private SharedContainer(KafkaContainer container, ClientTestBroker clients) {
            this.container = container;
            this.clients = clients;
        }

        static SharedContainer start() {
            String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
            long t0 = System.nanoTime();
            KafkaContainer container = new KafkaContainer(DockerImageName.parse(image)
                    .asCompatibleSubstituteFor("apache/kafka"))
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "1");
            container.start();
            LOG.info("Kafka broker ({}, Testcontainers) ready at {} in {} ms", image, container.getBootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000);
            return new SharedContainer(container,
                    new ClientTestBroker(container.getBootstrapServers(), "container broker " + image));
        }

        @Override
        public void close() {
            try {
                clients.close();
            } finally {
                container.stop();
            }
        }
    }
}
