package io.autonomic.cli;

import io.autonomic.stack.LocalStack;
import io.autonomic.stack.flink.FlinkClusterSpec;
import io.autonomic.stack.flink.FlinkClusterState;
import io.autonomic.stack.flink.FlinkSessionCluster;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start the local stack (a KRaft broker and a schema registry, as processes on loopback), "
        + "wait until both are healthy and create the topics. With --flink, also a Flink session cluster "
        + "(a JobManager with the web UI and a TaskManager). Idempotent.")
final class UpCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Option(names = "--timeout", defaultValue = "${env:AUTONOMIC_UP_TIMEOUT:-120}",
      description = "Seconds to wait for the components to become healthy (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--flink", description = "Also start a Flink session cluster for ./autonomic submit.")
  boolean flink;

  @Option(names = "--flink-port", defaultValue = "${env:AUTONOMIC_FLINK_PORT:-8082}",
      description = "Flink REST API and web UI port (env AUTONOMIC_FLINK_PORT; default: ${DEFAULT-VALUE}).")
  int flinkPort;

  @Option(names = "--flink-rpc-port", defaultValue = "${env:AUTONOMIC_FLINK_RPC_PORT:-6123}",
      description = "Flink JobManager RPC port (env AUTONOMIC_FLINK_RPC_PORT; default: ${DEFAULT-VALUE}).")
  int flinkRpcPort;

  @Option(names = "--flink-metrics-port", defaultValue = "${env:AUTONOMIC_FLINK_METRICS_PORT:-9249}",
      description = "Prometheus reporter port of the JobManager; the TaskManager's is the next one "
          + "(env AUTONOMIC_FLINK_METRICS_PORT; default: ${DEFAULT-VALUE}).")
  int flinkMetricsPort;

  @Override
  public Integer call() throws Exception {
    java.io.PrintWriter out = spec.commandLine().getOut();
    FlinkSessionCluster cluster = null;
    FlinkClusterState flinkState = null;
    if (flink) {
      // Started first and awaited last: the JVMs boot while the broker and the registry do.
      cluster = new FlinkSessionCluster(FlinkClusterSpec.defaults(stack.layout().home().resolve("flink"),
          stack.layout().host()).withPorts(flinkPort, flinkRpcPort, flinkMetricsPort, flinkMetricsPort + 1), out);
      flinkState = cluster.start();
    }
    new LocalStack(stack.layout(), out).up(Duration.ofSeconds(timeoutSeconds));
    if (cluster != null) {
      cluster.awaitHealthy(flinkState, Duration.ofSeconds(timeoutSeconds));
      out.println("flink web UI: " + cluster.spec().restUrl()
          + "  (./autonomic submit detector runs the detector on it)");
    }
    spec.commandLine().getOut().println("stack is up: ./autonomic status for details, ./autonomic down to stop");
    return 0;
  }
}
