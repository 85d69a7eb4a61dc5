package io.autonomic.stack.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.cli.Autonomic;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.schemas.Topics;
import io.autonomic.testkit.IntegrationStack;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The scale-out path as an operator meets it: a real Flink 2.2 session cluster (JobManager and TaskManager
 * processes from the Maven jars) on free ports, the detector's job jar submitted over REST by
 * {@code ./autonomic submit detector} against a real broker and registry, its operator metrics on the TaskManager's
 * Prometheus reporter, then cancel and stop with no process left behind.
 */
@IntegrationStack
class FlinkSessionClusterITCase {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private FlinkSessionCluster cluster;
  private FlinkClusterState state;
  private Path home;

  @AfterEach
  void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.down();
    }
    if (state != null) {
      assertThat(state.jobManagerAlive()).as("jobmanager left running").isFalse();
      assertThat(state.taskManagerAlive()).as("taskmanager left running").isFalse();
    }
    if (home != null) {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void clusterClasspathHoldsFlinkTheWebUiTheReporterAndDl4jButNotTheJobJarsClasses() throws Exception {
    List<String> jars = Arrays.stream(FlinkSessionCluster.clusterClasspath().split(":"))
        .map(e -> Path.of(e).getFileName().toString()).toList();

    assertThat(jars).anyMatch(j -> j.startsWith("flink-runtime-2."))
        .anyMatch(j -> j.startsWith("flink-runtime-web-"))
        .anyMatch(j -> j.startsWith("flink-clients-"))
        .anyMatch(j -> j.startsWith("flink-metrics-prometheus-"))
        .anyMatch(j -> j.startsWith("deeplearning4j-nn-"))
        .anyMatch(j -> j.matches("nd4j-native-.*-linux-x86_64\\.jar"))
        .anyMatch(j -> j.startsWith("log4j-slf4j-impl-"));
    assertThat(jars).noneMatch(j -> j.startsWith("autonomic-") || j.startsWith("kafka-clients-")
        || j.startsWith("flink-connector-kafka-") || j.startsWith("avro-"));
  }

  @Test
  void detectorRunsOnTheSessionClusterAndReportsItsMetricsThroughPrometheus(TestBroker broker,
      TestRegistry registry) throws Exception {
    home = Files.createTempDirectory("autonomic-flink-");
    FlinkClusterSpec spec = FlinkClusterSpec.defaults(home.resolve("flink"), "127.0.0.1")
        .withPorts(freePort(), freePort(), freePort(), freePort());
    StringWriter progress = new StringWriter();
    cluster = new FlinkSessionCluster(spec, new PrintWriter(progress, true));

    Instant t0 = Instant.now();
    state = cluster.up(Duration.ofSeconds(180));
    Duration toHealthy = Duration.between(t0, Instant.now());
    assertThat(progress.toString()).contains("flink     healthy at " + spec.restUrl());

    FlinkRestClient rest = new FlinkRestClient(spec.restUrl());
    assertThat(rest.overview().taskManagers()).isEqualTo(1);
    assertThat(rest.overview().flinkVersion()).isEqualTo("2.2.1");
    assertThat(rest.webUiAnswers()).as("web UI at %s", spec.restUrl()).isTrue();
    assertThat(Files.readString(spec.confDir().resolve("config.yaml")))
        .contains("rest.port: " + spec.restPort());

    // up again: the running cluster is kept
    assertThat(cluster.up(Duration.ofSeconds(60)).jobManagerPid()).isEqualTo(state.jobManagerPid());

    String metrics = broker.uniqueTopic(Topics.METRICS.name());
    String anomalies = broker.uniqueTopic(Topics.ANOMALIES.name());
    String dlq = broker.uniqueTopic(Topics.DLQ.name());
    broker.createTopic(metrics, 2);
    broker.createTopic(anomalies, 1);
    broker.createTopic(dlq, 1);

    StringWriter out = new StringWriter();
    CommandLine cli = Autonomic.commandLine();
    cli.setOut(new PrintWriter(out, true));
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    Instant submitted = Instant.now();
    int exit = cli.execute("submit", "detector", "--home", home.toString(), "--flink-url", spec.restUrl(),
        "--bootstrap-servers", broker.bootstrapServers(), "--registry-url", registry.ccompatUrl(),
        "--set", DetectorOptions.METRICS_TOPIC.key() + "=" + metrics,
        "--set", DetectorOptions.ANOMALIES_TOPIC.key() + "=" + anomalies,
        "--set", DetectorOptions.DLQ_TOPIC.key() + "=" + dlq,
        "--set", DetectorOptions.TRANSACTIONAL_ID_PREFIX.key() + "=" + broker.uniqueId("detector"),
        "--timeout", "180");
    Duration toRunning = Duration.between(submitted, Instant.now());
    assertThat(exit).as("submit output:%n%s%n%s", out, err).isZero();
    Matcher id = Pattern.compile("job id  ([0-9a-f]{32})").matcher(out.toString());
    assertThat(id.find()).as(out.toString()).isTrue();
    String jobId = id.group(1);
    assertThat(out.toString()).contains("web UI  " + spec.restUrl() + "/#/job/running/" + jobId);
    assertThat(rest.job(jobId).fullyRunning()).isTrue();

    // The detector's own counters, through Flink's Prometheus reporter on the TaskManager.
    String tmMetrics = state.taskManagerMetricsUrl();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(get(tmMetrics))
            .contains("flink_taskmanager_job_task_operator_windowsScored{")
            .contains("flink_taskmanager_job_task_operator_latePoints{")
            .contains("job_id=\"" + jobId + "\""));
    assertThat(get(state.jobManagerMetricsUrl())).contains("flink_jobmanager_numRegisteredTaskManagers");

    System.out.printf("flink session cluster: healthy %.1f s after up, detector RUNNING %.1f s after submit, "
            + "RSS jobmanager %d MB, taskmanager %d MB%n", toHealthy.toMillis() / 1000.0,
        toRunning.toMillis() / 1000.0, rssMb(state.jobManagerPid()), rssMb(state.taskManagerPid()));

    new FlinkJobSubmitter(rest, new PrintWriter(new StringWriter())).cancel(jobId, Duration.ofSeconds(60));
    assertThat(rest.job(jobId).state()).isEqualTo("CANCELED");

    assertThat(cluster.down()).isTrue();
    assertThat(Files.exists(spec.stateFile())).isFalse();
  }

  private static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static long rssMb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
