package io.autonomic.testkit;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry 3 server (Confluent-compatible API at {@code /apis/ccompat/v7}) run as a
 * separate {@code java} process from the distribution that {@code testkit/pom.xml} unpacks.
 *
 * <p>The process is <em>not</em> tied to this JVM unless {@link Options#destroyOnExit()} is set: a
 * registry started by {@code ./autonomic up} outlives the launching JVM and is stopped later through
 * {@link #attach(long, String, Path)} and {@link #close()}.
 *
 * <pre>{@code
 * try (ApicurioRegistryProcess registry = ApicurioRegistryProcess.start(Options.defaults().withDataDir(dir))) {
 *     registry.awaitReady(Duration.ofSeconds(60));
 *     String url = registry.ccompatUrl(); // http://127.0.0.1:PORT/apis/ccompat/v7
 * }
 * }</pre>
 */
public final class ApicurioRegistryProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistryProcess.class);
    private static final int TAIL_LINES = 20;

    /** Path of the Confluent-compatible API under the base URL. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    /** Readiness endpoint (200 once storage is up). */
    public static final String READY_PATH = "/health/ready";

    /**
     * How to run the registry. {@link #defaults()} then the {@code with*} methods.
     *
     * @param host             interface to listen on (default {@code 127.0.0.1})
     * @param port             HTTP port; 0 = a free port picked by {@link #start(Options)}
     * @param dataDir          null = in-memory H2 (gone when the process stops); otherwise a file H2
     *                         database {@code <dataDir>/registry.mv.db} that survives restarts
     * @param logFile          where stdout and stderr go (truncated at start); null = a temporary file
     * @param heap             maximum heap, {@code 256m} or {@code -Xmx256m} (default 256m)
     * @param systemProperties extra {@code -Dkey=value} for the registry (Quarkus / Apicurio settings)
     * @param jvmOptions       JVM options (default {@code -XX:+UseSerialGC -XX:TieredStopAtLevel=1}:
     *                         ready in ~4.5 s instead of ~8 s on 2 cores; C1-only code is plenty for a
     *                         test or local registry)
     * @param home             the unpacked distribution; null = {@link #distributionHome()}
     * @param javaExecutable   the {@code java} to run; null = this JVM's
     * @param destroyOnExit    also stop the registry when this JVM exits (a shutdown hook)
     */
    public record Options(String host, int port, Path dataDir, Path logFile, String heap,
                          Map<String, String> systemProperties, List<String> jvmOptions, Path home,
                          Path javaExecutable, boolean destroyOnExit) {

        public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        public Options {
            host = host == null || host.isBlank() ? "127.0.0.1" : host;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            heap = heap == null || heap.isBlank() ? "256m" : heap;
            systemProperties = Collections.unmodifiableMap(new LinkedHashMap<>(
                    systemProperties == null ? Map.of() : systemProperties));
            jvmOptions = jvmOptions == null ? DEFAULT_JVM_OPTIONS : List.copyOf(jvmOptions);
        }

        /** 127.0.0.1, a free port, in-memory storage, a temporary log file, 256 MB heap. */
        public static Options defaults() {
            return new Options(null, 0, null, null, null, Map.of(), null, null, null, false);
        }

        public Options withHost(String host) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withPort(int port) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withDataDir(Path dataDir) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withLogFile(Path logFile) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withHeap(String heap) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        /** Adds (or replaces) one {@code -Dkey=value}. */
        public Options withSystemProperty(String key, String value) {
            Map<String, String> props = new LinkedHashMap<>(systemProperties);
            props.put(key, value);
            return new Options(host, port, dataDir, logFile, heap, props, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withSystemProperties(Map<String, String> systemProperties) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withJvmOptions(List<String> jvmOptions) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withHome(Path home) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withJavaExecutable(Path javaExecutable) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }

        public Options withDestroyOnExit(boolean destroyOnExit) {
            return new Options(host, port, dataDir, logFile, heap, systemProperties, jvmOptions, home, javaExecutable, destroyOnExit);
        }
    }

    private static volatile HttpClient httpClient;

    private final ProcessHandle handle;
    private final Process process; // null when attached
    private final String baseUrl;
    private final Path logFile;
    private volatile Thread shutdownHook;

    private ApicurioRegistryProcess(ProcessHandle handle, Process process, String baseUrl, Path logFile) {
        this.handle = handle;
        this.process = process;
        this.baseUrl = baseUrl;
        this.logFile = logFile;
    }

    /**
     * The unpacked distribution: system property {@code autonomic.apicurio.home}, else environment
     * variable {@code AUTONOMIC_APICURIO_HOME}, else where the testkit build unpacked it (recorded in
     * {@code autonomic-testkit.properties}), else the {@code -all.tar.gz} in the local Maven repository
     * unpacked once into {@code java.io.tmpdir}.
     *
     * @throws IllegalStateException "Apicurio distribution not found at ...: run mvn -pl testkit package"
     */
    public static Path distributionHome() {
        return ApicurioDistribution.home();
    }

    /** The exact command line {@link #start(Options)} runs (from {@link #distributionHome()} as working directory). */
    public static List<String> command(Options o) {
        Path home = o.home() != null ? o.home() : distributionHome();
        Path runner = ApicurioDistribution.runnerJar(home).orElseThrow(() -> new IllegalStateException(
                "Apicurio distribution not found at " + home + ": no *-runner.jar (run mvn -pl testkit package)"));
        Path java = o.javaExecutable() != null ? o.javaExecutable()
                : Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add(o.heap().startsWith("-") ? o.heap() : "-Xmx" + o.heap());
        cmd.addAll(o.jvmOptions());
        cmd.add("-Dquarkus.http.host=" + o.host());
        cmd.add("-Dquarkus.http.port=" + o.port());
        if (o.dataDir() != null) {
            cmd.add("-Dapicurio.datasource.url=" + h2FileUrl(o.dataDir()));
        }
        o.systemProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(runner.toAbsolutePath().toString());
        return List.copyOf(cmd);
    }

    /** The JDBC URL of the file database kept under {@code dataDir}. */
    public static String h2FileUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("registry");
    }

    /**
     * Starts the registry and returns at once; call {@link #awaitReady(Duration)} before using it.
     * A port of 0 becomes a free port first.
     */
    public static ApicurioRegistryProcess start(Options o) {
        Objects.requireNonNull(o, "options");
        Path home = o.home() != null ? o.home() : distributionHome();
        Options resolved = o.withHome(home);
        if (resolved.port() == 0) {
            resolved = resolved.withPort(freePort(resolved.host()));
        }
        try {
            Path log = resolved.logFile() != null ? resolved.logFile().toAbsolutePath()
                    : Files.createTempFile("apicurio-registry-" + resolved.port() + "-", ".log");
            if (log.getParent() != null) {
                Files.createDirectories(log.getParent());
            }
            if (resolved.dataDir() != null) {
                Files.createDirectories(resolved.dataDir());
            }
            List<String> cmd = command(resolved);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            File devNull = new File("/dev/null");
            if (devNull.exists()) {
                pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
            }
            Process process = pb.start();
            if (!devNull.exists()) {
                process.getOutputStream().close();
            }
            ApicurioRegistryProcess registry = new ApicurioRegistryProcess(process.toHandle(), process,
                    baseUrl(resolved.host(), resolved.port()), log);
            if (resolved.destroyOnExit()) {
                registry.installShutdownHook();
            }
            LOG.info("Apicurio Registry starting: pid {}, {}, {} storage, log {}", process.pid(), registry.baseUrl,
                    resolved.dataDir() == null ? "in-memory" : "file " + resolved.dataDir(), log);
            LOG.debug("Command: {}", String.join(" ", cmd));
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Apicurio Registry from " + home, e);
        }
    }

    /**
     * A handle on a registry started earlier, possibly by another JVM (e.g. for {@code ./autonomic down}).
     *
     * @return empty when no process with that pid is alive
     */
    public static Optional<ApicurioRegistryProcess> attach(long pid, String baseUrl, Path logFile) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> new ApicurioRegistryProcess(h, null, stripSlash(baseUrl), logFile));
    }

    public long pid() {
        return handle.pid();
    }

    /** {@code http://host:port} */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code http://host:port/apis/ccompat/v7}: what a Confluent-compatible client is given. */
    public String ccompatUrl() {
        return baseUrl + CCOMPAT_PATH;
    }

    /** Where the registry's stdout and stderr go. */
    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** True when GET {@code /health/ready} answers 200 now. */
    public boolean isReady() {
        return isReady(baseUrl);
    }

    /** True when GET {@code <baseUrl>/health/ready} answers 200 now (any registry, no process needed). */
    public static boolean isReady(String baseUrl) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(stripSlash(baseUrl) + READY_PATH))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Polls {@code /health/ready} until it answers 200.
     *
     * @throws IllegalStateException when the process exits first or {@code timeout} passes; the message
     *                               has the log file's path and its last lines
     */
    public void awaitReady(Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (true) {
            if (!handle.isAlive()) {
                throw new IllegalStateException("Apicurio Registry (pid " + pid() + ") exited"
                        + (process != null ? " with code " + process.exitValue() : "")
                        + " before it was ready at " + baseUrl + "; log " + logFile + ", last lines:\n" + tail());
            }
            if (isReady()) {
                LOG.info("Apicurio Registry ready at {} (pid {}) after {} ms", baseUrl, pid(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("Apicurio Registry (pid " + pid() + ") not ready at " + baseUrl
                        + READY_PATH + " within " + timeout + "; log " + logFile + ", last lines:\n" + tail());
            }
            waitForExit(Duration.ofMillis(100)); // returns early if the process dies
        }
    }

    /** Stops the registry: SIGTERM, up to 20 s to exit, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        Thread hook = shutdownHook;
        if (hook != null) {
            shutdownHook = null;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        stop();
    }

    private void stop() {
        if (!handle.isAlive()) {
            return;
        }
        long t0 = System.nanoTime();
        handle.destroy();
        if (!waitForExit(Duration.ofSeconds(20))) {
            LOG.warn("Apicurio Registry (pid {}) did not stop within 20 s of SIGTERM: killing it", pid());
            handle.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
        LOG.info("Apicurio Registry at {} (pid {}) stopped in {} ms", baseUrl, pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private boolean waitForExit(Duration max) {
        try {
            handle.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        }
    }

    private void installShutdownHook() {
        Thread hook = new Thread(this::stop, "apicurio-registry-" + pid() + "-shutdown");
        shutdownHook = hook;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The last lines of the log file (at most 20). */
    public String tail() {
        if (logFile == null || !Files.isRegularFile(logFile)) {
            return "(no log file)";
        }
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = f.length();
            int window = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[window];
            f.seek(length - window);
            f.readFully(bytes);
            List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).stream()
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "Apicurio Registry " + baseUrl + " (pid " + pid() + ")";
    }

    static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + host, e);
        }
    }

    private static String baseUrl(String host, int port) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static HttpClient http() {
        HttpClient client = httpClient;
        if (client == null) {
            synchronized (ApicurioRegistryProcess.class) {
                client = httpClient;
                if (client == null) {
                    client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(1))
                            .build();
                    httpClient = client;
                }
            }
        }
        return client;
    }
}
