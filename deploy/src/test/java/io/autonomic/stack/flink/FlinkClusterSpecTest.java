package io.autonomic.stack.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkClusterSpecTest {
  private static final Path DIR = Path.of("/tmp/autonomic-home/flink");

  @Test
  void defaultsAvoidTheRegistryPortAndPinOneMetricsPortPerProcess() {
    FlinkClusterSpec spec = FlinkClusterSpec.defaults(DIR, "127.0.0.1");

    assertThat(spec.restPort()).isEqualTo(8082);
    assertThat(spec.restUrl()).isEqualTo("http://127.0.0.1:8082");
    assertThat(spec.configuration())
        .containsEntry("rest.port", "8082")
        .containsEntry("rest.bind-address", "127.0.0.1")
        .containsEntry("jobmanager.rpc.address", "127.0.0.1")
        .containsEntry("jobmanager.rpc.port", "6123")
        .containsEntry("taskmanager.host", "127.0.0.1")
        .containsEntry("metrics.reporter.prom.factory.class",
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
        .containsEntry("metrics.reporter.prom.port", "9249-9250");
  }

  @Test
  void configYamlIsReadBackByFlinkWithTheSameValues(@TempDir Path tmp) throws Exception {
    FlinkClusterSpec spec = FlinkClusterSpec.defaults(tmp.resolve("flink"), "127.0.0.1")
        .withPorts(18082, 16123, 19249, 19250);
    java.nio.file.Files.createDirectories(spec.confDir());
    java.nio.file.Files.writeString(spec.confDir().resolve("config.yaml"), spec.configYaml());

    Configuration read = GlobalConfiguration.loadConfiguration(spec.confDir().toString());

    for (Map.Entry<String, String> e : spec.configuration().entrySet()) {
      assertThat(read.toMap()).as(e.getKey()).containsEntry(e.getKey(), e.getValue());
    }
  }

  @Test
  void commandsRunFlinkEntryPointsWithFlinkMemoryFlagsAndTheirOwnMetricsPort() {
    FlinkClusterSpec spec = FlinkClusterSpec.defaults(DIR, "127.0.0.1").withPorts(18082, 16123, 19249, 19250);

    List<String> jm = spec.jobManagerCommand("java", "a.jar:b.jar");
    List<String> tm = spec.taskManagerCommand("java", "a.jar:b.jar");

    assertThat(jm).contains(FlinkClusterSpec.JOB_MANAGER_CLASS, "--configDir", DIR.resolve("conf").toString(),
        "metrics.reporter.prom.port=19249", "-Dlog.file=" + DIR.resolve("logs/jobmanager.log"));
    assertThat(jm).anyMatch(a -> a.startsWith("-Xmx")).anyMatch(a -> a.startsWith("jobmanager.memory.heap.size="));
    assertThat(tm).contains(FlinkClusterSpec.TASK_MANAGER_CLASS, "metrics.reporter.prom.port=19250",
        "-Dlog.file=" + DIR.resolve("logs/taskmanager.log"), "taskmanager.numberOfTaskSlots=2");
    assertThat(tm).anyMatch(a -> a.startsWith("-XX:MaxDirectMemorySize="))
        .anyMatch(a -> a.startsWith("taskmanager.memory.task.heap.size="));
    assertThat(jm.subList(0, jm.indexOf("-cp"))).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
    assertThat(tm.get(tm.indexOf("-cp") + 1)).isEqualTo("a.jar:b.jar");
  }

  @Test
  void collidingPortsAreRejected() {
    assertThatThrownBy(() -> FlinkClusterSpec.defaults(DIR, "127.0.0.1").withPorts(8082, 6123, 8082, 9250))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
  }

  @Test
  void stateSurvivesAWriteAndRead(@TempDir Path tmp) throws Exception {
    FlinkClusterState s = new FlinkClusterState(12, 34, "http://127.0.0.1:8082", "127.0.0.1", 9249, 9250);
    s.write(tmp.resolve("cluster.properties"));

    assertThat(FlinkClusterState.read(tmp.resolve("cluster.properties"))).contains(s);
    assertThat(s.taskManagerMetricsUrl()).isEqualTo("http://127.0.0.1:9250/metrics");
    assertThat(FlinkClusterState.read(tmp.resolve("missing.properties"))).isEmpty();
  }
}
