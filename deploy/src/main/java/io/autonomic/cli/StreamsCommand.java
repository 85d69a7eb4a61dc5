package io.autonomic.cli;

import io.autonomic.config.Config;
import io.autonomic.config.ConfigException;
import io.autonomic.streams.StreamsApp;
import io.autonomic.streams.StreamsRunner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "streams", mixinStandardHelpOptions = true,
    description = "Run the Kafka Streams apps (exactly-once) against the local stack or the configured Kafka and "
        + "registry until Ctrl-C: the normalizer (telemetry.raw.* -> telemetry.metrics/logs, bad records -> "
        + "telemetry.dlq), log patterns (Drain templates -> log.template.count) and the correlator (anomalies -> "
        + "incidents). Serves /metrics, /health, /incidents and /templates on streams.http.port.")
final class StreamsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Option(names = "--app", split = ",", paramLabel = "APP",
      description = "normalizer, log-patterns or correlator; repeatable or comma-separated (default: all three).")
  List<String> apps = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Set<StreamsApp> selected = EnumSet.noneOf(StreamsApp.class);
    try {
      for (String app : apps) {
        selected.add(StreamsApp.of(app));
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--app: " + e.getMessage());
    }
    if (selected.isEmpty()) {
      selected = EnumSet.allOf(StreamsApp.class);
    }
    Config config = client.load(stack.layout());
    StreamsRunner runner;
    try {
      runner = StreamsRunner.start(config, selected, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runner.close();
      stopped.countDown();
    }, "streams-shutdown"));
    spec.commandLine().getOut().printf("streams: %s running (exactly-once); %s/health; Ctrl-C to stop%n",
        selected.stream().map(StreamsApp::cliName).collect(Collectors.joining(", ")), runner.httpUrl());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
