package io.autonomic.cli;

import io.autonomic.config.Config;
import io.autonomic.ingest.agent.AgentApp;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./autonomic agent [--config agent.yaml]}: runs one agent with the collectors its config
 * enables (host by default; Prometheus scrape, OTLP receiver and log tail when enabled) until Ctrl-C.
 * Shutdown stops the collectors, flushes the producer and spools what Kafka did not acknowledge.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run the collectors (host, Prometheus scrape, OTLP/HTTP receiver, log tail) and publish to "
        + "telemetry.metrics / telemetry.logs until Ctrl-C. Options: see ingest/README.md.")
final class AgentCommand implements Callable<Integer> {
  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Override
  public Integer call() throws Exception {
    Config config = client.load(stack.layout());
    AgentApp agent = AgentApp.start(config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "agent-shutdown"));
    stopped.await();
    return 0;
  }
}
