package io.autonomic.cli;

import io.autonomic.stack.LocalStack;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start the local stack (a KRaft broker and a schema registry, as processes on loopback), "
        + "wait until both are healthy and create the topics. Idempotent.")
final class UpCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Option(names = "--timeout", defaultValue = "${env:AUTONOMIC_UP_TIMEOUT:-120}",
      description = "Seconds to wait for the components to become healthy (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    new LocalStack(stack.layout(), spec.commandLine().getOut()).up(Duration.ofSeconds(timeoutSeconds));
    spec.commandLine().getOut().println("stack is up: ./autonomic status for details, ./autonomic down to stop");
    return 0;
  }
}
