package io.autonomic.stack.flink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * What the local Flink session cluster looks like: where its configuration, logs and data live, the ports it listens
 * on and its memory. {@link #configuration()} is the {@code config.yaml} that {@code up --flink} writes; the two
 * {@code *Command} methods are the JobManager's and TaskManager's command lines, built the way Flink's own scripts
 * build them (memory flags from Flink's process-memory model, which {@code BashJavaUtils} also uses).
 *
 * @param dir            the cluster's directory (conf/, logs/, tmp/, web-upload/, checkpoints/)
 * @param host           the address everything binds to
 * @param restPort       REST API and web UI (JobManager)
 * @param rpcPort        JobManager RPC
 * @param jmMetricsPort  the JobManager's Prometheus reporter
 * @param tmMetricsPort  the TaskManager's Prometheus reporter
 * @param slots          task slots of the one TaskManager
 * @param jmProcessMemory JobManager process size (Flink memory syntax: 1024m)
 * @param tmProcessMemory TaskManager process size
 */
public record FlinkClusterSpec(Path dir, String host, int restPort, int rpcPort, int jmMetricsPort, int tmMetricsPort,
    int slots, String jmProcessMemory, String tmProcessMemory) {

  public static final int DEFAULT_REST_PORT = 8082;
  public static final int DEFAULT_RPC_PORT = 6123;
  public static final int DEFAULT_METRICS_PORT = 9249;
  public static final int DEFAULT_SLOTS = 2;
  public static final String DEFAULT_JM_MEMORY = "1024m";
  public static final String DEFAULT_TM_MEMORY = "1536m";

  public static final String JOB_MANAGER_CLASS =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  public static final String TASK_MANAGER_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  public static final String PROMETHEUS_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

  /**
   * The module flags of flink-dist's config.yaml ({@code env.java.opts.all}): Flink 2 on Java 17 reflects into
   * java.util and friends (e.g. the DataStream V2 translators on the first job submission) and fails without them.
   */
  public static final List<String> JAVA_MODULE_OPTIONS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  public FlinkClusterSpec {
    for (int port : new int[] {restPort, rpcPort, jmMetricsPort, tmMetricsPort}) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("Flink ports must be 1..65535, got " + port);
      }
    }
    if (Arrays.stream(new int[] {restPort, rpcPort, jmMetricsPort, tmMetricsPort}).distinct().count() != 4) {
      throw new IllegalArgumentException("Flink REST, RPC and the two metrics ports must differ: " + restPort + ", "
          + rpcPort + ", " + jmMetricsPort + ", " + tmMetricsPort);
    }
    if (slots < 1) {
      throw new IllegalArgumentException("a TaskManager needs at least one slot, got " + slots);
    }
  }

  /** The defaults on {@code host}, under {@code dir}: REST 8082 (8081 is the registry's), metrics 9249 and 9250. */
  public static FlinkClusterSpec defaults(Path dir, String host) {
    return new FlinkClusterSpec(dir, host, DEFAULT_REST_PORT, DEFAULT_RPC_PORT, DEFAULT_METRICS_PORT,
        DEFAULT_METRICS_PORT + 1, DEFAULT_SLOTS, DEFAULT_JM_MEMORY, DEFAULT_TM_MEMORY);
  }

  public FlinkClusterSpec withPorts(int rest, int rpc, int jmMetrics, int tmMetrics) {
    return new FlinkClusterSpec(dir, host, rest, rpc, jmMetrics, tmMetrics, slots, jmProcessMemory, tmProcessMemory);
  }

  public Path confDir() {
    return dir.resolve("conf");
  }

  public Path logsDir() {
    return dir.resolve("logs");
  }

  public Path stateFile() {
    return dir.resolve("cluster.properties");
  }

  public Path jobManagerLog() {
    return logsDir().resolve("jobmanager.log");
  }

  public Path taskManagerLog() {
    return logsDir().resolve("taskmanager.log");
  }

  public String restUrl() {
    return "http://" + host + ":" + restPort;
  }

  /**
   * The cluster's configuration, in the order it is written. Flat keys are valid in Flink 2's config.yaml. The
   * metrics port here is a range covering both processes; each process is also pinned to its own port on its
   * command line, so {@code status} knows which is which.
   */
  public Map<String, String> configuration() {
    Path abs = dir.toAbsolutePath().normalize();
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", host);
    c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
    c.put("jobmanager.bind-host", host);
    c.put("rest.address", host);
    c.put("rest.bind-address", host);
    c.put("rest.port", Integer.toString(restPort));
    c.put("taskmanager.host", host);
    c.put("taskmanager.bind-host", host);
    c.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
    c.put("jobmanager.memory.process.size", jmProcessMemory);
    c.put("taskmanager.memory.process.size", tmProcessMemory);
    // The detector keeps its state on the heap: managed memory (RocksDB, batch) would sit unused.
    c.put("taskmanager.memory.managed.size", "64m");
    c.put("parallelism.default", "1");
    c.put("io.tmp.dirs", abs.resolve("tmp").toString());
    c.put("web.upload.dir", abs.resolve("web-upload").toString());
    c.put("web.submit.enable", "true");
    c.put("web.cancel.enable", "true");
    c.put("execution.checkpointing.dir", abs.resolve("checkpoints").toUri().toString());
    c.put("metrics.reporter.prom.factory.class", PROMETHEUS_FACTORY);
    c.put("metrics.reporter.prom.port", Math.min(jmMetricsPort, tmMetricsPort) + "-"
        + Math.max(jmMetricsPort, tmMetricsPort));
    c.put("env.java.opts.all", String.join(" ", JAVA_MODULE_OPTIONS));
    return c;
  }

  /** {@link #configuration()} as config.yaml text. */
  public String configYaml() {
    StringBuilder b = new StringBuilder("# Written by ./autonomic up --flink; rewritten on every start.\n");
    configuration().forEach((k, v) -> b.append(k).append(": ").append(yamlScalar(v)).append('\n'));
    return b.toString();
  }

  /** The log4j2 configuration both processes use: one file each (log.file), as flink-dist's log4j.properties. */
  public static String log4jProperties() {
    return String.join("\n",
        "# Written by ./autonomic up --flink.",
        "monitorInterval = 30",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = MainAppender",
        "logger.kafka.name = org.apache.kafka",
        "logger.kafka.level = WARN",
        "appender.main.name = MainAppender",
        "appender.main.type = File",
        "appender.main.append = true",
        "appender.main.fileName = ${sys:log.file}",
        "appender.main.layout.type = PatternLayout",
        "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
        "");
  }

  /** The JobManager's command line: Flink's memory flags for {@code jobmanager.memory.process.size}. */
  public List<String> jobManagerCommand(String java, String classpath) {
    Configuration conf = Configuration.fromMap(configuration());
    JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
    return command(java, classpath, JobManagerProcessUtils.generateJvmParametersStr(spec, conf), jobManagerLog(),
        JOB_MANAGER_CLASS, JobManagerProcessUtils.generateDynamicConfigsStr(spec), jmMetricsPort);
  }

  /** The TaskManager's command line: Flink's memory flags for {@code taskmanager.memory.process.size}. */
  public List<String> taskManagerCommand(String java, String classpath) {
    Configuration conf = Configuration.fromMap(configuration());
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
    return command(java, classpath, ProcessMemoryUtils.generateJvmParametersStr(spec), taskManagerLog(),
        TASK_MANAGER_CLASS, TaskExecutorProcessUtils.generateDynamicConfigsStr(spec), tmMetricsPort);
  }

  private List<String> command(String java, String classpath, String jvmMemory, Path log, String mainClass,
      String dynamicConfigs, int metricsPort) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(splitArgs(jvmMemory));
    cmd.addAll(JAVA_MODULE_OPTIONS);
    cmd.add("-Dlog.file=" + log.toAbsolutePath().normalize());
    String log4j = "file:" + confDir().resolve("log4j.properties").toAbsolutePath().normalize();
    cmd.add("-Dlog4j.configuration=" + log4j);
    cmd.add("-Dlog4j.configurationFile=" + log4j);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(confDir().toAbsolutePath().normalize().toString());
    cmd.addAll(splitArgs(dynamicConfigs));
    cmd.add("-D");
    cmd.add("metrics.reporter.prom.port=" + metricsPort);
    return cmd;
  }

  /** Flink's generated strings are space-separated flags ({@code -D key=value}), none containing spaces. */
  private static List<String> splitArgs(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
  }

  private static String yamlScalar(String v) {
    return v.matches("[A-Za-z0-9._/:=,-]+") && !v.startsWith("-") ? v : "'" + v.replace("'", "''") + "'";
  }
}
