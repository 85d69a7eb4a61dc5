package io.autonomic.stack;

import io.autonomic.testkit.ApicurioRegistryProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The local stack behind {@code ./autonomic up | down | status}: a real KRaft broker and Apicurio
 * Registry, each its own process bound to loopback, with data and logs under the layout's home.
 */
public final class LocalStack {
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  /** Generous: a cold client JVM on a loaded 2-core machine needs seconds for its first request. */
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(15);

  private final StackLayout layout;
  private final PrintWriter out;

  public LocalStack(StackLayout layout, PrintWriter out) {
    this.layout = layout;
    this.out = out;
  }

  /**
   * Starts whatever is not already running and healthy, waits for both components, then creates the
   * contract's topics. Idempotent: a healthy stack is left as it is.
   */
  public StackState up(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Files.createDirectories(layout.logsDir());
    Optional<StackState> previous = StackState.read(layout.stateFile());

    long kafkaPid;
    String bootstrap;
    if (previous.isPresent() && previous.get().kafkaAlive()) {
      kafkaPid = previous.get().kafkaPid();
      bootstrap = previous.get().bootstrapServers();
      say("kafka     already running (pid %d) at %s%n", kafkaPid, bootstrap);
    } else {
      ensurePortFree(layout.kafkaPort(), "kafka");
      ensurePortFree(layout.controllerPort(), "kafka controller");
      KafkaBrokerProcess broker = new KafkaBrokerProcess(layout);
      Process p = broker.start();
      kafkaPid = p.pid();
      bootstrap = layout.bootstrapServers();
      say("kafka     starting (pid %d), log %s%n", kafkaPid, broker.log());
    }

    long registryPid;
    String registryUrl;
    if (previous.isPresent() && previous.get().registryAlive()) {
      registryPid = previous.get().registryPid();
      registryUrl = previous.get().registryUrl();
      say("registry  already running (pid %d) at %s%n", registryPid, registryUrl);
    } else {
      ensurePortFree(layout.registryPort(), "registry");
      Files.createDirectories(layout.registryDir());
      Path distribution = ApicurioRegistryProcess.distributionHome();
      Path log = layout.logsDir().resolve("registry.log");
      // Schemas survive restarts of the stack: the registry keeps them in a file H2 database.
      ApicurioRegistryProcess.Options options = ApicurioRegistryProcess.Options.defaults()
          .withHome(distribution)
          .withHost(layout.host())
          .withPort(layout.registryPort())
          .withDataDir(layout.registryDir().toAbsolutePath())
          .withLogFile(log.toAbsolutePath());
      Process p = Processes.startDetached(ApicurioRegistryProcess.command(options), distribution, log);
      registryPid = p.pid();
      registryUrl = layout.registryUrl();
      say("registry  starting (pid %d), log %s%n", registryPid, log);
    }
    StackState state = new StackState(kafkaPid, bootstrap, registryPid, registryUrl);
    state.write(layout.stateFile());

    awaitKafka(state, deadline);
    awaitRegistry(state, deadline);
    try (Admin admin = admin(bootstrap)) {
      List<String> created = TopicProvisioner.ensureTopics(admin);
      say("topics    %s%n", created.isEmpty() ? "all present" : "created " + String.join(", ", created));
    }
    return state;
  }

  /** Stops what {@code up} started, by the recorded pids. Returns false if a process survived. */
  public boolean down() throws IOException {
    Optional<StackState> state = StackState.read(layout.stateFile());
    if (state.isEmpty()) {
      say0("nothing to stop: no stack state at " + layout.stateFile());
      return true;
    }
    boolean ok = stop("registry", state.get().registryPid()) & stop("kafka", state.get().kafkaPid());
    if (ok) {
      Files.deleteIfExists(layout.stateFile());
    }
    return ok;
  }

  /** Health of each component and the topics with their partition counts. */
  public StackStatus status() {
    Optional<StackState> state = StackState.read(layout.stateFile());
    if (state.isEmpty()) {
      return StackStatus.notStarted(layout);
    }
    StackState s = state.get();
    boolean kafkaUp = s.kafkaAlive() && KafkaBrokerProcess.answers(s.bootstrapServers(), STATUS_TIMEOUT);
    boolean registryUp = s.registryAlive() && registryReady(s.registryUrl(), STATUS_TIMEOUT);
    Map<String, Integer> topics = new TreeMap<>();
    if (kafkaUp) {
      try (Admin admin = admin(s.bootstrapServers())) {
        Map<String, TopicDescription> d = admin.describeTopics(admin.listTopics().names().get(5, TimeUnit.SECONDS))
            .allTopicNames().get(10, TimeUnit.SECONDS);
        d.forEach((name, desc) -> topics.put(name, desc.partitions().size()));
      } catch (Exception e) {
        kafkaUp = false;
      }
    }
    return new StackStatus(s, kafkaUp, registryUp, topics);
  }

  private void awaitKafka(StackState state, Instant deadline) throws Exception {
    Path log = layout.logsDir().resolve("kafka.log");
    Instant started = Instant.now();
    while (true) {
      if (!state.kafkaAlive()) {
        throw new StackException("kafka exited during start-up; see " + log + ":\n" + Processes.tail(log, 20));
      }
      if (KafkaBrokerProcess.answers(state.bootstrapServers(), Duration.ofSeconds(2))) {
        say("kafka     healthy at %s (%.1f s)%n", state.bootstrapServers(), seconds(started));
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new StackException("kafka did not answer at " + state.bootstrapServers()
            + " in time; see " + log + ":\n" + Processes.tail(log, 20));
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  private void awaitRegistry(StackState state, Instant deadline) throws Exception {
    Path log = layout.logsDir().resolve("registry.log");
    Instant started = Instant.now();
    while (true) {
      if (!state.registryAlive()) {
        throw new StackException("registry exited during start-up; see " + log + ":\n" + Processes.tail(log, 20));
      }
      if (registryReady(state.registryUrl(), Duration.ofSeconds(3))) {
        say("registry  healthy at %s (%.1f s)%n", state.registryUrl(), seconds(started));
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new StackException("registry did not become ready at " + state.registryUrl()
            + " in time; see " + log + ":\n" + Processes.tail(log, 20));
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  /** Apicurio's readiness endpoint sits beside the ccompat API: strip the API path off the URL. */
  static boolean registryReady(String ccompatUrl, Duration timeout) {
    String base = ccompatUrl.replaceFirst("/apis/.*$", "");
    try {
      HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(timeout).build()
          .send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(timeout).build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean stop(String name, long pid) {
    if (!Processes.alive(pid)) {
      say("%-9s not running%n", name);
      return true;
    }
    boolean stopped = Processes.stop(pid, STOP_GRACE);
    say("%-9s %s (pid %d)%n", name, stopped ? "stopped" : "STILL RUNNING", pid);
    return stopped;
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

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
  }

  private void say(String format, Object... args) {
    out.printf(format, args);
    out.flush();
  }

  private void say0(String line) {
    out.println(line);
    out.flush();
  }

  private static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }
}
