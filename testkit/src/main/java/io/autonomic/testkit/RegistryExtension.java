package io.autonomic.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives test classes one real schema registry per JVM: {@code @ExtendWith(RegistryExtension.class)},
 * then declare a {@link TestRegistry} parameter.
 *
 * <p>The first test class that needs it starts an Apicurio Registry process
 * ({@link ApicurioRegistryProcess}, in-memory storage, 127.0.0.1 on a free port, deletion allowed;
 * about 4.5 s). {@code beforeAll} only launches the process, so that with {@link IntegrationStack} it
 * boots while the broker starts; it is awaited when a {@link TestRegistry} is first resolved, and
 * before each test. Later classes get the same one; it is stopped when the JVM's test run ends (and by a
 * shutdown hook if the JVM ends otherwise). Its log goes to {@code target/apicurio-registry-<pid>.log}
 * when the working directory has a {@code target/}, else to a temporary file.
 *
 * <p>With the environment variable {@value #REGISTRY_URL_ENV} (or system property
 * {@value #REGISTRY_URL_PROPERTY}) set to a registry's root or ccompat URL, nothing is started.
 */
public class RegistryExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    /** Use this registry instead of starting one: {@code http://host:port} or {@code http://host:port/apis/ccompat/v7}. */
    public static final String REGISTRY_URL_ENV = "AUTONOMIC_TEST_REGISTRY_URL";
    /** As {@link #REGISTRY_URL_ENV}; takes precedence. */
    public static final String REGISTRY_URL_PROPERTY = "autonomic.test.registry.url";
    /** How long a started registry may take to be ready. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private static final Logger LOG = LoggerFactory.getLogger(RegistryExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RegistryExtension.class);
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static volatile Duration lastStartupTime;

    /** Launches the registry process; it is awaited when first needed (so it boots while a broker starts). */
    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    /** Makes sure the registry is ready before each test, so a registry that cannot start fails the tests clearly. */
    @Override
    public void beforeEach(ExtensionContext context) {
        registry(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return registry(extensionContext);
    }

    /** The JVM-wide registry, started on first use and ready. For other extensions. */
    public static TestRegistry registry(ExtensionContext context) {
        return shared(context).ready();
    }

    private static SharedRegistry shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedRegistry.class, key -> SharedRegistry.launch(), SharedRegistry.class);
    }

    /** The options the extension starts its registry with. */
    public static ApicurioRegistryProcess.Options testOptions() {
        Path target = Path.of("target");
        Path log = Files.isDirectory(target)
                ? target.toAbsolutePath().resolve("apicurio-registry-" + ProcessHandle.current().pid() + ".log")
                : null;
        return ApicurioRegistryProcess.Options.defaults()
                .withLogFile(log)
                .withDestroyOnExit(true)
                // Marks the process as this JVM's, should it ever be orphaned (test JVM killed with SIGKILL).
                .withSystemProperty("autonomic.test.owner", String.valueOf(ProcessHandle.current().pid()))
                .withSystemProperty("apicurio.rest.deletion.artifact.enabled", "true")
                .withSystemProperty("apicurio.rest.deletion.artifact-version.enabled", "true")
                .withSystemProperty("apicurio.rest.deletion.group.enabled", "true");
    }

    static int registriesStartedInThisJvm() {
        return STARTED.get();
    }

    static Duration lastStartupTime() {
        return lastStartupTime;
    }

    static String externalUrl() {
        String value = System.getProperty(REGISTRY_URL_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(REGISTRY_URL_ENV);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    @SuppressWarnings("deprecation") // CloseableResource too, for runs that disable closing AutoCloseables
    static final class SharedRegistry implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        private static final int PORT_ATTEMPTS = 3;

        private ApicurioRegistryProcess process;
        private TestRegistry registry;
        private final long launchedAt = System.nanoTime();
        private boolean ready;
        private RuntimeException failure;

        private SharedRegistry(ApicurioRegistryProcess process, TestRegistry registry) {
            this.process = process;
            this.registry = registry;
            this.ready = process == null;
        }

        /** Starts the process without waiting for it, so that it boots while the broker starts. */
        static SharedRegistry launch() {
            String external = externalUrl();
            if (external != null) {
                HttpTestRegistry registry = HttpTestRegistry.fromUrl(external, true);
                LOG.info("Using the schema registry at {} ({} is set)", registry.baseUrl(), REGISTRY_URL_ENV);
                return new SharedRegistry(null, registry);
            }
            ApicurioRegistryProcess process = ApicurioRegistryProcess.start(testOptions());
            return new SharedRegistry(process, new HttpTestRegistry(process.baseUrl(), false));
        }

        /** Waits (once) until the registry answers /health/ready. */
        synchronized TestRegistry ready() {
            if (failure != null) {
                throw failure;
            }
            if (!ready) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        process.awaitReady(READY_TIMEOUT);
                        break;
                    } catch (RuntimeException e) {
                        process.close();
                        // The free port is picked before the registry binds it; in between, any process (a
                        // client's outgoing connection, another test JVM) can take it. Only that is retried.
                        if (attempt < PORT_ATTEMPTS && process.tail().contains("seems to be in use")) {
                            LOG.warn("registry port of {} was taken before it could bind; retrying on another port",
                                    process.baseUrl());
                            process = ApicurioRegistryProcess.start(testOptions());
                            registry = new HttpTestRegistry(process.baseUrl(), false);
                            continue;
                        }
                        failure = e;
                        throw e;
                    }
                }
                ready = true;
                lastStartupTime = Duration.ofNanos(System.nanoTime() - launchedAt);
                STARTED.incrementAndGet();
            }
            return registry;
        }

        @Override
        public void close() {
            if (process != null) {
                process.close();
            }
        }
    }
}
