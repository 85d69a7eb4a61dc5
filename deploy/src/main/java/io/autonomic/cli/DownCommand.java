package io.autonomic.cli;

import io.autonomic.stack.LocalStack;
import io.autonomic.stack.flink.FlinkClusterSpec;
import io.autonomic.stack.flink.FlinkSessionCluster;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop what 'up' started (and the Flink cluster of 'up --flink'), by the pids it recorded. "
        + "Data stays under the home directory.")
final class DownCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() throws Exception {
    // The Flink cluster first: its jobs write to the broker until they stop.
    FlinkClusterSpec flink = FlinkClusterSpec.defaults(stack.layout().home().resolve("flink"), stack.layout().host());
    boolean flinkStopped = new FlinkSessionCluster(flink, spec.commandLine().getOut()).down();
    return new LocalStack(stack.layout(), spec.commandLine().getOut()).down() && flinkStopped ? 0 : 1;
  }
}
