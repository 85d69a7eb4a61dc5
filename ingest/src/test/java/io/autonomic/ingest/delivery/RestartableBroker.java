package io.autonomic.ingest.delivery;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;

/**
 * A Kafka broker in its own process on a fixed port, which a test can stop and start again on the same
 * port and data directory. The shared in-JVM broker of the test kit cannot be stopped without hurting
 * the other tests of the JVM. Runs {@code kafka.Kafka} from the test classpath (the kafka_2.13 jars).
 */
public final class RestartableBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final int controllerPort;
  private Process process;

  public RestartableBroker(Path dir) throws IOException {
    this.dir = dir;
    this.port = freePort();
    this.controllerPort = freePort();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public void start() throws Exception {
    Path config = dir.resolve("server.properties");
    Path data = dir.resolve("data");
    if (!Files.exists(config)) {
      Files.createDirectories(data);
      Files.writeString(config, String.join("\n",
          "process.roles=broker,controller",
          "node.id=1",
          "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
          "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
          "controller.listener.names=CONTROLLER",
          "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
          "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
          "log.dirs=" + data.toAbsolutePath(),
          "offsets.topic.replication.factor=1",
          "offsets.topic.num.partitions=1",
          "transaction.state.log.replication.factor=1",
          "transaction.state.log.min.isr=1",
          "share.coordinator.state.topic.replication.factor=1",
          "share.coordinator.state.topic.min.isr=1",
          "group.initial.rebalance.delay.ms=0",
          "auto.create.topics.enable=false",
          "num.network.threads=2",
          "num.io.threads=2",
          ""));
      run(List.of("kafka.tools.StorageTool", "format", "--standalone", "-t", UUID.randomUUID().toString(),
          "-c", config.toString())).waitFor(60, TimeUnit.SECONDS);
    }
    process = run(List.of("kafka.Kafka", config.toString()));
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(this::answers);
  }

  /** Stops the broker the way an operator would (SIGTERM, controlled shutdown), keeping its data. */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  public void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  private boolean answers() {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000))) {
      admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private Process run(List<String> mainAndArgs) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    cmd.addAll(mainAndArgs);
    File log = dir.resolve("broker.log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
