package io.autonomic.cli;

import io.autonomic.stack.LocalStack;
import io.autonomic.stack.StackStatus;
import io.autonomic.stack.flink.FlinkSessionCluster;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print the broker address, the registry URL, the health of each process and each topic "
        + "with its partition count. Exits 0 only when all are healthy.")
final class StatusCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() {
    java.io.PrintWriter out = spec.commandLine().getOut();
    StackStatus s = new LocalStack(stack.layout(), out).status();
    out.printf("kafka     %-9s %s (pid %s)%n", health(s.kafkaHealthy(), s.state().kafkaAlive()),
        s.state().bootstrapServers(), pid(s.state().kafkaPid()));
    out.printf("registry  %-9s %s (pid %s)%n", health(s.registryHealthy(), s.state().registryAlive()),
        s.state().registryUrl(), pid(s.state().registryPid()));
    if (!s.topicPartitions().isEmpty()) {
      out.println("topics");
      s.topicPartitions().forEach((name, partitions) ->
          out.printf("  %-24s %d partition%s%n", name, partitions, partitions == 1 ? "" : "s"));
    }
    boolean flinkHealthy = true;
    java.util.Optional<FlinkSessionCluster.Status> flink =
        FlinkSessionCluster.status(stack.layout().home().resolve("flink").resolve("cluster.properties"));
    if (flink.isPresent()) {
      FlinkSessionCluster.Status f = flink.get();
      flinkHealthy = f.healthy();
      out.printf("flink     %-9s %s (jobmanager pid %s, taskmanager pid %s)%s%n",
          health(f.healthy(), f.state().jobManagerAlive() || f.state().taskManagerAlive()), f.state().restUrl(),
          pid(f.state().jobManagerAlive() ? f.state().jobManagerPid() : -1),
          pid(f.state().taskManagerAlive() ? f.state().taskManagerPid() : -1),
          f.overview().map(o -> String.format(", %d taskmanager%s, %d/%d slots free, %d job%s running",
              o.taskManagers(), o.taskManagers() == 1 ? "" : "s", o.slotsAvailable(), o.slotsTotal(),
              o.jobsRunning(), o.jobsRunning() == 1 ? "" : "s")).orElse(""));
      out.printf("          metrics %s, %s%n", f.state().jobManagerMetricsUrl(), f.state().taskManagerMetricsUrl());
    }
    out.flush();
    return s.healthy() && flinkHealthy ? 0 : 1;
  }

  private static String health(boolean healthy, boolean alive) {
    return healthy ? "healthy" : alive ? "UNHEALTHY" : "DOWN";
  }

  private static String pid(long pid) {
    return pid > 0 ? Long.toString(pid) : "-";
  }
}
