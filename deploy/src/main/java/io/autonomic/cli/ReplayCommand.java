package io.autonomic.cli;

import io.autonomic.config.Config;
import io.autonomic.ingest.replay.CsvReplay;
import io.autonomic.ingest.replay.ReplayApp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./autonomic replay --file F.csv --entity E --metric M [--speed 60x | --as-fast-as-possible]
 * [--time-shift now]}: publishes a {@code timestamp,value} series (e.g. a NAB file) to
 * telemetry.metrics with its own event times, for demos, backfills and tests.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Publish a timestamp,value CSV series (such as ../shared/data/nab files) as MetricPoints with "
        + "their own event times.")
final class ReplayCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--file", required = true, paramLabel = "F.csv", description = "The timestamp,value CSV file.")
  Path file;

  @Option(names = "--entity", required = true, paramLabel = "E", description = "Entity id of the points (the Kafka key).")
  String entity;

  @Option(names = "--metric", required = true, paramLabel = "M", description = "Metric name of the points.")
  String metric;

  static final class Pace {
    @Option(names = "--speed", paramLabel = "Nx", description = "Replay N times faster than real time, e.g. 60x.")
    String speed;

    @Option(names = "--as-fast-as-possible", description = "Publish without pauses (the default).")
    boolean fast;
  }

  @ArgGroup(exclusive = true)
  Pace pace;

  @Option(names = "--time-shift", paramLabel = "now|ISO-8601",
      description = "Shift the event times so that the first point is at this instant (now, or e.g. 2026-01-01T00:00:00Z).")
  String timeShift;

  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Override
  public Integer call() throws Exception {
    double speed = pace != null && pace.speed != null ? CsvReplay.parseSpeed(pace.speed) : 0;
    Instant shift = timeShift == null ? null : timeShift.equalsIgnoreCase("now") ? Instant.now() : Instant.parse(timeShift);
    Config config = client.load(stack.layout());
    ReplayApp.Result result = ReplayApp.run(config, file, new CsvReplay.Settings(entity, metric, speed, shift));
    var out = spec.commandLine().getOut();
    out.printf("replayed %d points of %s as %s/%s: %d acknowledged by Kafka%s%n", result.published(), file, entity,
        metric, result.sent(), result.spooled() > 0 ? ", " + result.spooled() + " left in the spool" : "");
    out.flush();
    return result.spooled() > 0 ? 1 : 0;
  }
}
