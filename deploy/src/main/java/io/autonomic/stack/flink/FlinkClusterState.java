package io.autonomic.stack.flink;

import io.autonomic.stack.Processes;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code up --flink} started, beside the stack's own state: the two pids, the REST URL and the metrics ports.
 * Written atomically (temp file, then move).
 */
public record FlinkClusterState(long jobManagerPid, long taskManagerPid, String restUrl, String host,
    int jmMetricsPort, int tmMetricsPort) {

  public static Optional<FlinkClusterState> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
      return Optional.of(new FlinkClusterState(
          Long.parseLong(p.getProperty("jobmanager.pid", "-1")),
          Long.parseLong(p.getProperty("taskmanager.pid", "-1")),
          p.getProperty("rest.url"),
          p.getProperty("host", "127.0.0.1"),
          Integer.parseInt(p.getProperty("jobmanager.metrics.port", "-1")),
          Integer.parseInt(p.getProperty("taskmanager.metrics.port", "-1"))));
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException(file + ": unreadable Flink cluster state (" + e.getMessage()
          + "); run ./autonomic down, or delete it if nothing is running", e);
    }
  }

  public void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("jobmanager.pid", Long.toString(jobManagerPid));
    p.setProperty("taskmanager.pid", Long.toString(taskManagerPid));
    p.setProperty("rest.url", restUrl);
    p.setProperty("host", host);
    p.setProperty("jobmanager.metrics.port", Integer.toString(jmMetricsPort));
    p.setProperty("taskmanager.metrics.port", Integer.toString(tmMetricsPort));
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "written by ./autonomic up --flink; read by status, down and submit");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public boolean jobManagerAlive() {
    return Processes.alive(jobManagerPid);
  }

  public boolean taskManagerAlive() {
    return Processes.alive(taskManagerPid);
  }

  public String jobManagerMetricsUrl() {
    return "http://" + host + ":" + jmMetricsPort + "/metrics";
  }

  public String taskManagerMetricsUrl() {
    return "http://" + host + ":" + tmMetricsPort + "/metrics";
  }
}
