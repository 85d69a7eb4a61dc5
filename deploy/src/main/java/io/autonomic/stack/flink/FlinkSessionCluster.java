package io.autonomic.stack.flink;

import io.autonomic.stack.Processes;
import io.autonomic.stack.StackException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local Flink session cluster behind {@code ./autonomic up --flink}: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}), each its own
 * process from the Maven jars (flink-dist is not served here), with a generated {@code conf/config.yaml} under the
 * stack's home. Their classpath is what flink-dist's {@code lib/} would hold: Flink, the web UI, the Prometheus
 * reporter, DL4J with its native libraries, log4j ({@code target/flink-classpath.txt}, written by the build).
 */
public final class FlinkSessionCluster {
  /** The classpath file of the cluster: a system property where the build knows it (tests), else beside the jar. */
  public static final String CLASSPATH_PROPERTY = "autonomic.flink.classpath";
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final FlinkClusterSpec spec;
  private final PrintWriter out;
  /** When {@link #start()} launched the processes: the health line reports the time since. */
  private Instant launchedAt;

  public FlinkSessionCluster(FlinkClusterSpec spec, PrintWriter out) {
    this.spec = spec;
    this.out = out;
  }

  public FlinkClusterSpec spec() {
    return spec;
  }

  /**
   * Starts the JobManager and the TaskManager unless both run and the REST API answers, then waits until the
   * JobManager sees a TaskManager. Idempotent. A half-running cluster (one process gone) is stopped and restarted.
   */
  public FlinkClusterState up(Duration timeout) throws Exception {
    return awaitHealthy(start(), timeout);
  }

  /**
   * {@link #up} without the wait: starts what is not running and returns at once, so the caller can start other
   * components meanwhile; then {@link #awaitHealthy(FlinkClusterState, Duration)}.
   */
  public FlinkClusterState start() throws IOException {
    Optional<FlinkClusterState> previous = FlinkClusterState.read(spec.stateFile());
    if (previous.isPresent()) {
      FlinkClusterState p = previous.get();
      if (p.jobManagerAlive() && p.taskManagerAlive()) {
        say("flink     already running (jobmanager pid %d, taskmanager pid %d) at %s%n", p.jobManagerPid(),
            p.taskManagerPid(), p.restUrl());
        return p;
      }
      stopProcesses(p);
    }
    ensurePortFree(spec.restPort(), "the Flink REST API and web UI (--flink-port, AUTONOMIC_FLINK_PORT)");
    ensurePortFree(spec.rpcPort(), "the Flink JobManager RPC (--flink-rpc-port)");
    ensurePortFree(spec.jmMetricsPort(), "the JobManager's Prometheus reporter (--flink-metrics-port)");
    ensurePortFree(spec.tmMetricsPort(), "the TaskManager's Prometheus reporter (--flink-metrics-port + 1)");

    Files.createDirectories(spec.confDir());
    Files.createDirectories(spec.logsDir());
    Files.createDirectories(spec.dir().resolve("tmp"));
    Files.createDirectories(spec.dir().resolve("web-upload"));
    Files.writeString(spec.confDir().resolve("config.yaml"), spec.configYaml());
    Files.writeString(spec.confDir().resolve("log4j.properties"), FlinkClusterSpec.log4jProperties());

    String classpath = clusterClasspath();
    String java = Processes.javaBinary();
    launchedAt = Instant.now();
    // One thread per native math pool: on small machines oversubscription makes DL4J 2-10x slower.
    Map<String, String> env = Map.of("OMP_NUM_THREADS", System.getenv().getOrDefault("OMP_NUM_THREADS", "1"));
    Process jm = Processes.startDetached(spec.jobManagerCommand(java, classpath), spec.dir(), stdout("jobmanager"),
        env);
    say("flink     jobmanager starting (pid %d), log %s%n", jm.pid(), spec.jobManagerLog());
    Process tm = Processes.startDetached(spec.taskManagerCommand(java, classpath), spec.dir(), stdout("taskmanager"),
        env);
    say("flink     taskmanager starting (pid %d), log %s%n", tm.pid(), spec.taskManagerLog());
    FlinkClusterState state = new FlinkClusterState(jm.pid(), tm.pid(), spec.restUrl(), spec.host(),
        spec.jmMetricsPort(), spec.tmMetricsPort());
    state.write(spec.stateFile());
    return state;
  }

  /** Waits until the JobManager's REST API answers with a registered TaskManager; fails with the log's tail. */
  public FlinkClusterState awaitHealthy(FlinkClusterState state, Duration timeout) throws Exception {
    Instant now = Instant.now();
    return awaitHealthy(state, now.plus(timeout), launchedAt != null ? launchedAt : now);
  }

  /** Stops both processes by their recorded pids. Returns false if one survived. */
  public boolean down() throws IOException {
    Optional<FlinkClusterState> state = FlinkClusterState.read(spec.stateFile());
    if (state.isEmpty()) {
      return true;
    }
    boolean ok = stopProcesses(state.get());
    if (ok) {
      Files.deleteIfExists(spec.stateFile());
    }
    return ok;
  }

  /** The cluster's health, or empty when {@code up --flink} never ran (or {@code down} stopped it). */
  public static Optional<Status> status(Path stateFile) {
    return FlinkClusterState.read(stateFile).map(s -> {
      Optional<FlinkRestClient.Overview> overview = Optional.empty();
      if (s.jobManagerAlive()) {
        try {
          overview = Optional.of(new FlinkRestClient(s.restUrl(), Duration.ofSeconds(3), Duration.ofSeconds(10))
              .overview());
        } catch (FlinkRestException e) {
          overview = Optional.empty();
        }
      }
      return new Status(s, overview);
    });
  }

  private FlinkClusterState awaitHealthy(FlinkClusterState state, Instant deadline, Instant started)
      throws Exception {
    FlinkRestClient rest = new FlinkRestClient(state.restUrl(), Duration.ofSeconds(2), Duration.ofSeconds(5));
    say("flink     waiting for the REST API at %s and a registered TaskManager%n", state.restUrl());
    while (true) {
      if (!state.jobManagerAlive()) {
        throw new StackException("the Flink jobmanager exited during start-up; see " + spec.jobManagerLog() + ":\n"
            + lastLines(spec.jobManagerLog(), stdout("jobmanager")));
      }
      if (!state.taskManagerAlive()) {
        throw new StackException("the Flink taskmanager exited during start-up; see " + spec.taskManagerLog() + ":\n"
            + lastLines(spec.taskManagerLog(), stdout("taskmanager")));
      }
      try {
        FlinkRestClient.Overview o = rest.overview();
        if (o.taskManagers() >= 1) {
          say("flink     healthy at %s (Flink %s, %d taskmanager, %d slots, %.1f s after start); metrics %s and %s%n",
              state.restUrl(), o.flinkVersion(), o.taskManagers(), o.slotsTotal(),
              Duration.between(started, Instant.now()).toMillis() / 1000.0, state.jobManagerMetricsUrl(),
              state.taskManagerMetricsUrl());
          return state;
        }
      } catch (FlinkRestException notYet) {
        // the JobManager is still starting
      }
      if (Instant.now().isAfter(deadline)) {
        throw new StackException("the Flink cluster did not become healthy at " + state.restUrl()
            + " in time; see " + spec.jobManagerLog() + " and " + spec.taskManagerLog() + ":\n"
            + Processes.tail(spec.taskManagerLog(), 10));
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  private boolean stopProcesses(FlinkClusterState s) {
    // The TaskManager first: stopped the other way round, it spends its grace period reconnecting.
    return stop("taskmanager", s.taskManagerPid()) & stop("jobmanager", s.jobManagerPid());
  }

  private boolean stop(String name, long pid) {
    if (!Processes.alive(pid)) {
      say("flink     %s not running%n", name);
      return true;
    }
    boolean stopped = Processes.stop(pid, STOP_GRACE);
    say("flink     %s %s (pid %d)%n", name, stopped ? "stopped" : "STILL RUNNING", pid);
    return stopped;
  }

  private Path stdout(String process) {
    return spec.logsDir().resolve(process + ".out");
  }

  private static String lastLines(Path log, Path stdout) {
    String t = Processes.tail(log, 20);
    return t.isBlank() || t.startsWith("(no log") ? Processes.tail(stdout, 20) : t;
  }

  /**
   * The cluster's classpath (entries separated by ':'): from {@value #CLASSPATH_PROPERTY} (a file), else
   * {@code flink-classpath.txt} beside the launcher's jar or classes directory, where the build writes it.
   */
  public static String clusterClasspath() throws IOException {
    Path file = classpathFile();
    if (!Files.isRegularFile(file)) {
      throw new StackException("the Flink cluster classpath " + file + " is missing; build the launcher with "
          + "'mvn -B package -DskipTests -pl deploy -am' (./autonomic does it when sources changed)");
    }
    String cp = Files.readString(file).trim();
    List<String> missing = java.util.Arrays.stream(cp.split(java.io.File.pathSeparator))
        .filter(e -> !Files.exists(Path.of(e))).limit(3).toList();
    if (!missing.isEmpty()) {
      throw new StackException("the Flink cluster classpath " + file + " names missing files (" + missing
          + "); rebuild with 'mvn -B package -DskipTests -pl deploy -am'");
    }
    return cp;
  }

  static Path classpathFile() {
    String configured = System.getProperty(CLASSPATH_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    try {
      Path code = Path.of(FlinkSessionCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // deploy/target/autonomic-deploy.jar or deploy/target/classes: the file is in deploy/target either way.
      return code.getParent().resolve("flink-classpath.txt");
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Path.of("deploy", "target", "flink-classpath.txt");
    }
  }

  private static void ensurePortFree(int port, String what) {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new StackException("port " + port + " for " + what + " is already in use by another process; "
          + "stop it or choose another port (see ./autonomic up --help)");
    }
  }

  private void say(String format, Object... args) {
    out.printf(format, args);
    out.flush();
  }

  /** The recorded processes and, when the JobManager answered, its overview. */
  public record Status(FlinkClusterState state, Optional<FlinkRestClient.Overview> overview) {
    public boolean healthy() {
      return state.jobManagerAlive() && state.taskManagerAlive() && overview.isPresent()
          && overview.get().taskManagers() >= 1;
    }
  }
}
