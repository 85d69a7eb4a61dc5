package io.autonomic.cli;

import io.autonomic.config.Config;
import io.autonomic.remediator.executor.ExecutorApp;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "executor", mixinStandardHelpOptions = true,
    description = "Run an executor until Ctrl-C: commands from the actions topic carried out (each command id at "
        + "most once), results to action-results. KIND: local (shell commands per action, executor.local.*), "
        + "kubernetes (the current kubeconfig or in-cluster account), webhook (Slack, PagerDuty, Alertmanager).")
final class ExecutorCommand implements Callable<Integer> {
  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Parameters(index = "0", paramLabel = "KIND", description = "local, kubernetes or webhook")
  String kind;

  @Override
  public Integer call() throws Exception {
    Config config = client.load(stack.layout());
    ExecutorApp app = ExecutorApp.create(kind, config, Clock.systemUTC());
    Thread runner = new Thread(app, "executor-" + kind);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "executor-shutdown"));
    runner.start();
    System.out.println("executor " + kind + " running; Ctrl-C to stop");
    runner.join();
    return 0;
  }
}
