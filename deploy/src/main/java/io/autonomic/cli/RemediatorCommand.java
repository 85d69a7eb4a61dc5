package io.autonomic.cli;

import io.autonomic.config.Config;
import io.autonomic.remediator.app.RemediatorApp;
import io.autonomic.remediator.app.RemediatorOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "remediator", mixinStandardHelpOptions = true,
    description = "Run the remediator until Ctrl-C: anomalies (or incidents) in, commands on the actions topic "
        + "out, through the policies and guardrails, exactly once. Serves /health, /metrics, /approvals and "
        + "/kill-switch on remediator.http.port.")
final class RemediatorCommand implements Callable<Integer> {
  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Option(names = "--policies", paramLabel = "DIR",
      description = "Policy directory (same as --set remediator.policies.dir=DIR); hot-reloaded.")
  Path policies;

  @Option(names = "--dry-run", description = "Issue every command as a dry run (same as --set remediator.dry-run=true).")
  boolean dryRun;

  @Option(names = "--input", paramLabel = "anomalies|incidents",
      description = "Act on raw anomalies (default) or on the correlator's incidents.")
  String input;

  @Override
  public Integer call() throws Exception {
    if (policies != null) {
      client.overrides.add(RemediatorOptions.POLICIES_DIR.key() + "=" + policies);
    }
    if (dryRun) {
      client.overrides.add(RemediatorOptions.DRY_RUN.key() + "=true");
    }
    if (input != null) {
      client.overrides.add(RemediatorOptions.INPUT.key() + "=" + input);
    }
    Config config = client.load(stack.layout());
    RemediatorApp app = RemediatorApp.create(config, Clock.systemUTC());
    Thread hook = new Thread(app::close, "remediator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    app.start();
    System.out.println("remediator running" + (dryRun ? " (dry run)" : "") + "; http port "
        + (app.httpPort() < 0 ? "off" : app.httpPort()) + "; Ctrl-C to stop");
    app.join();
    return 0;
  }
}
