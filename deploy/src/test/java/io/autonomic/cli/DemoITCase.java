package io.autonomic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.avro.MetricPoint;
import io.autonomic.registry.AvroDeserializer;
import io.autonomic.registry.RegistryConfig;
import io.autonomic.schemas.Topics;
import io.autonomic.stack.StackState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * A shortened {@code ./autonomic demo} end to end, as a user runs it: on a real stack (broker and registry
 * processes on free ports in a temporary home), the real streams apps, the detector in a MiniCluster, the
 * remediator and the local executor drive the simulated shop through two faults. Both must be detected,
 * remediated and recovered, no command may be issued or executed twice, and the report must be written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoITCase {
  private Path home;
  private List<String> stackFlags;

  @BeforeAll
  void startStack() throws Exception {
    // Test runners boot through a manifest-only jar: give the broker child the real classpath.
    System.setProperty("autonomic.classpath", System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")));
    home = Files.createTempDirectory("autonomic-demo-");
    stackFlags = List.of("--home", home.toString(), "--kafka-port", Integer.toString(freePort()),
        "--controller-port", Integer.toString(freePort()), "--registry-port", Integer.toString(freePort()));
    Result up = run("up", "--timeout", "120");
    assertThat(up.exitCode).as(up.out + up.err).isZero();
  }

  @AfterAll
  void stopStack() {
    if (home != null) {
      run("down"); // also when the test failed: never leave processes behind
    }
  }

  @Test
  void aShortDemoDetectsRemediatesAndRecoversTwoFaultsWithoutAnyActionTwice() throws Exception {
    Instant t0 = Instant.now();
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(new Tee(original, terminal), true, StandardCharsets.UTF_8));
    Result demo;
    try {
      // 40x: the detector's 130-window warm-up takes 42.5 s, then two slots of 44 s, a fault lasting 26 s of each
      demo = run("demo", "--duration", "130s", "--tick", "250ms", "--scenarios", "bad-deploy,dead-replica",
          "--seed", "7");
    } finally {
      System.setOut(original);
    }
    String out = terminal.toString(StandardCharsets.UTF_8);

    assertThat(demo.exitCode).as(out + demo.err).isZero();
    assertThat(out).contains("stack       already running (left running at the end)")
        .containsPattern("bad-deploy +detected after").containsPattern("bad-deploy +action: ")
        .containsPattern("bad-deploy +recovered")
        .containsPattern("dead-replica +detected after").containsPattern("dead-replica +action: ")
        .containsPattern("dead-replica +recovered")
        .contains("PASSED: 2 of 2 faults detected, remediated and recovered")
        .containsPattern("agent +starting \\(this host's cpu, memory, disk, network every 10 s")
        .containsPattern("outside the shop \\(this host's agent; not false alarms, must get no action\\): "
            + "\\d+ anomalies on \\d+ entities.*, \\d+ incidents, 0 actions");
    // about 3 min on an idle 2-core machine; not asserted: a loaded machine stretches start-up, not the run
    System.err.println("DemoITCase: demo took " + Duration.between(t0, Instant.now()).toSeconds() + " s");

    Path report;
    try (Stream<Path> runs = Files.list(home.resolve("reports"))) {
      report = runs.findFirst().orElseThrow().resolve("index.html");
    }
    assertThat(report).exists();
    assertThat(Files.readString(report)).contains("\"name\":\"bad-deploy\"").contains("\"name\":\"dead-replica\"");

    StackState stack = StackState.read(home.resolve("stack.properties")).orElseThrow();
    List<ActionCommand> commands = readAll(stack, Topics.ACTIONS.name(), ActionCommand.class);
    List<ActionResult> results = readAll(stack, Topics.ACTION_RESULTS.name(), ActionResult.class);
    List<String> commandIds = commands.stream().map(ActionCommand::getCommandId).toList();
    assertThat(commandIds).as("commands issued").isNotEmpty().doesNotHaveDuplicates();
    assertThat(results).extracting(ActionResult::getCommandId).as("one execution per command")
        .doesNotHaveDuplicates().isSubsetOf(commandIds);
    assertThat(commands).filteredOn(c -> c.getKind() == ActionKind.FAILOVER
        && c.getTarget().getName().equals("checkout")).as("the bad release rolled back").isNotEmpty();
    assertThat(commands).filteredOn(c -> c.getKind() == ActionKind.RESTART
        && c.getTarget().getName().equals("shop/checkout-2")).as("the dead replica restarted").hasSize(1);
    assertThat(results).filteredOn(r -> r.getStatus() == ActionStatus.APPLIED).isNotEmpty();
    assertThat(commands).extracting(c -> c.getTarget().getName()).as("only the shop is acted on")
        .allMatch(t -> t.startsWith("shop/") || List.of("frontend", "checkout", "database").contains(t));
    assertThat(anyHostPoint(stack)).as("the agent on this host published its metrics").isTrue();
  }

  /** Whether telemetry.metrics holds a point of an entity outside the shop (the agent's host). */
  private static boolean anyHostPoint(StackState stack) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(RegistryConfig.URL, stack.registryUrl());
    props.put(RegistryConfig.SPECIFIC_AVRO_READER, true);
    Deserializer<MetricPoint> values = AvroDeserializer.specific(MetricPoint.class);
    values.configure(props, false);
    String topic = Topics.METRICS.name();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (!values.deserialize(topic, r.value()).getEntityId().toString().startsWith("shop/")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Every committed record of {@code topic} from the beginning, decoded through the registry. */
  private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(StackState stack, String topic,
      Class<T> type) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(RegistryConfig.URL, stack.registryUrl());
    props.put(RegistryConfig.SPECIFIC_AVRO_READER, true);
    Deserializer<T> values = AvroDeserializer.specific(type);
    values.configure(props, false);
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(values.deserialize(topic, r.value()));
        }
      }
    }
    return out;
  }

  private Result run(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(stackFlags);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Autonomic.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int exitCode, String out, String err) {}

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Writes to the console and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
