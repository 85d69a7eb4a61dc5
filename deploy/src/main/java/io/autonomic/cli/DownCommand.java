package io.autonomic.cli;

import io.autonomic.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop what 'up' started, by the pids it recorded. Data stays under the home directory.")
final class DownCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() throws Exception {
    return new LocalStack(stack.layout(), spec.commandLine().getOut()).down() ? 0 : 1;
  }
}
