package io.autonomic.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.avro.MetricPoint;
import io.autonomic.cli.Autonomic;
import io.autonomic.registry.AvroSerializer;
import io.autonomic.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * The local stack as a user meets it: {@code up} starts a real broker and registry as processes,
 * {@code status} reports them, a record produced with the serde comes back out of {@code consume} as
 * JSON, and {@code down} leaves nothing running. Runs on free ports in a temporary home so it cannot
 * collide with a developer's own stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackITCase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path home;
  private List<String> stackFlags;
  private StackState started;

  @BeforeAll
  void startStack() throws Exception {
    // Test runners boot through a manifest-only jar: give the broker child the real classpath.
    System.setProperty("autonomic.classpath", System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")));
    home = Files.createTempDirectory("autonomic-stack-");
    stackFlags = List.of("--home", home.toString(), "--kafka-port", Integer.toString(freePort()),
        "--controller-port", Integer.toString(freePort()), "--registry-port", Integer.toString(freePort()));
    Instant t0 = Instant.now();
    Result up = run("up", "--timeout", "90");
    assertThat(up.exitCode).as(up.out).isZero();
    assertThat(Duration.between(t0, Instant.now())).isLessThan(Duration.ofSeconds(90));
    started = StackState.read(home.resolve("stack.properties")).orElseThrow();
  }

  @AfterAll
  void stopStack() {
    if (home != null) {
      run("down"); // also when a test failed: never leave processes behind
    }
  }

  @Test
  @Order(1)
  void statusShouldReportHealthyComponentsAndEveryContractTopic() {
    Result status = run("status");

    assertThat(status.exitCode).as(status.out).isZero();
    assertThat(status.out).contains("kafka     healthy   " + started.bootstrapServers())
        .contains("registry  healthy   " + started.registryUrl());
    Topics.ALL.forEach(t -> assertThat(status.out).containsPattern(
        "  " + java.util.regex.Pattern.quote(t.name()) + " +" + t.defaultPartitions() + " partition"));
  }

  @Test
  @Order(2)
  void upShouldBeIdempotent() {
    Result again = run("up", "--timeout", "60");

    assertThat(again.exitCode).as(again.out).isZero();
    assertThat(again.out).contains("already running (pid " + started.kafkaPid() + ")")
        .contains("already running (pid " + started.registryPid() + ")");
  }

  @Test
  @Order(3)
  void consumeShouldPrintARecordProducedWithTheSerdeAsJson() throws Exception {
    MetricPoint point = MetricPoint.newBuilder().setEntityId("host-1").setMetric("system.cpu.utilization")
        .setValue(0.42).setUnit("1").setEventTime(Instant.parse("2026-11-26T04:00:00Z"))
        .setTags(Map.of("region", "local")).build();
    Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, started.bootstrapServers(),
        "schema.registry.url", started.registryUrl());
    try (KafkaProducer<String, MetricPoint> producer = new KafkaProducer<>(props, new StringSerializer(),
        configured(new AvroSerializer<>(), props))) {
      producer.send(new ProducerRecord<>(Topics.METRICS.name(), "host-1", point)).get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(Topics.METRICS.name(), "host-1".getBytes(), "{\"not\":\"avro\"}".getBytes()))
          .get(30, TimeUnit.SECONDS);
    }

    Result consumed = run("consume", Topics.METRICS.name(), "--from-beginning", "--max", "2", "--timeout", "30");

    assertThat(consumed.exitCode).as(consumed.err).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : consumed.out.strip().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSize(2);
    JsonNode decoded = lines.stream().filter(l -> l.has("value")).findFirst().orElseThrow();
    assertThat(decoded.get("key").asText()).isEqualTo("host-1");
    assertThat(decoded.at("/value/metric").asText()).isEqualTo("system.cpu.utilization");
    assertThat(decoded.at("/value/value").asDouble()).isEqualTo(0.42);
    assertThat(decoded.at("/value/eventTime").asText()).isEqualTo("2026-11-26T04:00:00Z");
    assertThat(decoded.at("/value/tags/region").asText()).isEqualTo("local");
    JsonNode undecodable = lines.stream().filter(l -> l.has("valueBase64")).findFirst().orElseThrow();
    assertThat(undecodable.get("note").asText()).contains("unknown magic byte 0x7b");
  }

  @Test
  @Order(4)
  void theAutonomicScriptShouldRunTheLauncher() throws Exception {
    Path script = Path.of(System.getProperty("autonomic.build.dir", "..")).resolve("autonomic");
    List<String> cmd = new ArrayList<>(List.of(script.toString(), "status"));
    cmd.addAll(stackFlags);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("AUTONOMIC_SKIP_BUILD", "1"); // this build just made the launcher
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());

    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("kafka     healthy").doesNotContain("INFO");
  }

  @Test
  @Order(5)
  void downShouldLeaveNoProcessBehind() throws IOException {
    Result down = run("down");

    assertThat(down.exitCode).as(down.out).isZero();
    assertThat(Processes.alive(started.kafkaPid())).isFalse();
    assertThat(Processes.alive(started.registryPid())).isFalse();
    assertThat(home.resolve("stack.properties")).doesNotExist();
    Result status = run("status");
    assertThat(status.exitCode).isEqualTo(1);
    assertThat(status.out).contains("kafka     DOWN");
  }

  private static <T> T configured(T serializer, Map<String, Object> props) {
    ((org.apache.kafka.common.serialization.Serializer<?>) serializer).configure(props, false);
    return serializer;
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
}
