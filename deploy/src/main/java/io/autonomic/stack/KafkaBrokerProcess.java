package io.autonomic.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker (combined broker and controller) run from the kafka_2.13 jars on
 * this launcher's classpath: {@code kafka.tools.StorageTool format --standalone} once, then
 * {@code kafka.Kafka server.properties}. No Docker and no binary distribution needed.
 */
public final class KafkaBrokerProcess {
  private final StackLayout layout;

  public KafkaBrokerProcess(StackLayout layout) {
    this.layout = layout;
  }

  public Path log() {
    return layout.logsDir().resolve("kafka.log");
  }

  /** Writes the config, formats the storage on first use, and starts the broker. */
  public Process start() throws IOException, InterruptedException {
    Path dir = layout.kafkaDir();
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Path config = writeConfig(dir, data);
    Path log4j = writeLog4j(dir);
    if (!Files.exists(data.resolve("meta.properties"))) {
      format(config, log4j);
    }
    return Processes.startDetached(List.of(Processes.javaBinary(), "-Xms256m", "-Xmx512m",
        "-XX:+UseG1GC", "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
        "-cp", Processes.classpath(),
        "kafka.Kafka", config.toAbsolutePath().toString()), layout.home(), log());
  }

  private void format(Path config, Path log4j) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Processes.javaBinary(), "-Xmx256m",
        "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
        "-cp", Processes.classpath(),
        "kafka.tools.StorageTool", "format", "--standalone",
        "-t", Uuid.randomUuid().toString(), "-c", config.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("formatting the Kafka storage failed; see " + log() + ":\n"
          + Processes.tail(log(), 15));
    }
  }

  /** Whether the broker answers a metadata request within {@code timeout}. */
  public static boolean answers(String bootstrapServers, Duration timeout) {
    Map<String, Object> props = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private Path writeConfig(Path dir, Path data) throws IOException {
    String host = layout.host();
    String controller = host + ":" + layout.controllerPort();
    String props = String.join("\n",
        "# Written by ./autonomic up: a single-node KRaft broker for local use.",
        "process.roles=broker,controller",
        "node.id=1",
        "listeners=PLAINTEXT://" + host + ":" + layout.kafkaPort() + ",CONTROLLER://" + controller,
        "advertised.listeners=PLAINTEXT://" + host + ":" + layout.kafkaPort(),
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.quorum.bootstrap.servers=" + controller,
        "log.dirs=" + data.toAbsolutePath(),
        "num.partitions=3",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        // One broker on a laptop: keep segments and retention small so .autonomic stays small.
        "log.segment.bytes=67108864",
        "log.retention.hours=24",
        "");
    Path file = dir.resolve("server.properties");
    Files.writeString(file, props);
    return file;
  }

  private static Path writeLog4j(Path dir) throws IOException {
    String cfg = String.join("\n",
        "status=warn",
        "appender.out.type=Console",
        "appender.out.name=OUT",
        "appender.out.layout.type=PatternLayout",
        "appender.out.layout.pattern=[%d] %p %m (%c)%n",
        "rootLogger.level=INFO",
        "rootLogger.appenderRef.out.ref=OUT",
        "logger.state.name=state.change.logger",
        "logger.state.level=WARN",
        "logger.kafka.name=org.apache.kafka",
        "logger.kafka.level=INFO",
        "");
    Path file = dir.resolve("log4j2.properties");
    Files.writeString(file, cfg);
    return file;
  }
}
