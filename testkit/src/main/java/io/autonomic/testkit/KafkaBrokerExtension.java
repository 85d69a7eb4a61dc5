package io.autonomic.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives test classes one real Kafka broker per JVM: {@code @ExtendWith(KafkaBrokerExtension.class)},
 * then declare a {@link TestBroker} parameter on the constructor or on a {@code @BeforeAll},
 * {@code @BeforeEach} or {@code @Test} method.
 *
 * <p>The first test class that needs it starts an {@link EmbeddedKafkaBroker} (about 3.5 s); every
 * later class in the JVM gets the same one. It is kept in the root extension context's store and
 * closed when the JVM's test run ends.
 *
 * <p>With the environment variable {@value #BOOTSTRAP_ENV} (or system property
 * {@value #BOOTSTRAP_PROPERTY}) set, no broker is started: that one is used.
 */
public class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    /** Use this broker instead of starting one. */
    public static final String BOOTSTRAP_ENV = "AUTONOMIC_TEST_BOOTSTRAP_SERVERS";
    /** Use this broker instead of starting one (takes precedence over the environment variable). */
    public static final String BOOTSTRAP_PROPERTY = "autonomic.test.bootstrap.servers";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static volatile Duration lastStartupTime;

    @Override
    public void beforeAll(ExtensionContext context) {
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

    /** The JVM-wide broker, started on first use. For other extensions. */
    public static TestBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBroker.class, key -> SharedBroker.start(), SharedBroker.class)
                .clients;
    }

    /** How many brokers this class started in this JVM (1 once any test used it). */
    static int brokersStartedInThisJvm() {
        return STARTED.get();
    }

    /** How long the last broker start took, or null if none was started. */
    static Duration lastStartupTime() {
        return lastStartupTime;
    }

    static String externalBootstrapServers() {
        String value = System.getProperty(BOOTSTRAP_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(BOOTSTRAP_ENV);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The broker and its clients, as stored in the root context: closed at the end of the test run. */
    @SuppressWarnings("deprecation") // CloseableResource too, for runs that disable closing AutoCloseables
    static final class SharedBroker implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        final EmbeddedKafkaBroker embedded;
        final ClientTestBroker clients;

        private SharedBroker(EmbeddedKafkaBroker embedded, ClientTestBroker clients) {
            this.embedded = embedded;
            this.clients = clients;
        }

        static SharedBroker start() {
            String external = externalBootstrapServers();
            if (external != null) {
                LOG.info("Using the Kafka broker at {} ({} is set)", external, BOOTSTRAP_ENV);
                return new SharedBroker(null, new ClientTestBroker(external, "external broker " + external));
            }
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
            STARTED.incrementAndGet();
            lastStartupTime = broker.startupTime();
            return new SharedBroker(broker,
                    new ClientTestBroker(broker.bootstrapServers(), "in-JVM broker " + broker.bootstrapServers()));
        }

        @Override
        public void close() throws Exception {
            try {
                clients.close();
            } finally {
                if (embedded != null) {
                    embedded.close();
                }
            }
        }
    }
}
