package io.autonomic.cli;

import io.autonomic.config.Config;
import io.autonomic.flinkjobs.model.StoredModel;
import io.autonomic.flinkjobs.model.TrainerApp;
import io.autonomic.flinkjobs.model.TrainerOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./autonomic train --from-csv DIR | --from-topic TOPIC | --watch}: trains the DL4J models (an LSTM
 * autoencoder per series, a dense autoencoder per entity) on the detector's windows, writes versioned artifacts to
 * the model store and, with {@code --publish}, announces them on the models topic. {@code --watch} runs until
 * Ctrl-C, training series after warm-up and retraining on drift or schedule. The flags are shortcuts for
 * {@code train.*} keys (see {@code --print-config}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the DL4J models (LSTM autoencoder per series, dense autoencoder per entity) from CSVs or "
        + "telemetry.metrics, store versioned artifacts and optionally announce them on the models topic.")
final class TrainCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Option(names = "--from-csv", paramLabel = "DIR",
      description = "Train on every timestamp,value CSV under DIR (NAB style): entity = relative path, metric value.")
  Path csv;

  @Option(names = "--from-topic", paramLabel = "TOPIC",
      description = "Train on the MetricPoints of TOPIC (e.g. telemetry.metrics), read through the registry.")
  String topic;

  @Option(names = "--watch", description = "Keep consuming the metrics topic until Ctrl-C: train each series after "
      + "warm-up, retrain on drift or when older than --retrain-every.")
  boolean watch;

  @Option(names = "--from", paramLabel = "ISO-8601", description = "With --from-topic: only points at or after this "
      + "event time (default: the beginning of the topic).")
  Instant from;

  @Option(names = "--to", paramLabel = "ISO-8601", description = "With --from-topic: only points before this event "
      + "time (default: up to the end of the topic when the command starts).")
  Instant to;

  @Option(names = "--store", paramLabel = "DIR", description = "Model store directory (train.store, default "
      + ".autonomic/models).")
  Path store;

  @Option(names = "--kind", paramLabel = "lstm|dense|all", description = "Models to train (train.kind, default all).")
  String kind;

  @Option(names = "--min-windows", paramLabel = "N", description = "Warm-up: fewer windows get no model "
      + "(train.min.windows, default 64).")
  Integer minWindows;

  @Option(names = "--publish", description = "Announce each stored version on the models topic (train.publish).")
  boolean publish;

  @Option(names = "--retrain-every", paramLabel = "DURATION", description = "With --watch: retrain models older "
      + "than this, e.g. 6h (train.retrain.every, default 1d; 0 disables).")
  String retrainEvery;

  @Option(names = "--print-config", description = "Print the resolved trainer options and exit.")
  boolean printConfig;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    set("train.store", store == null ? null : store.toString());
    set("train.kind", kind);
    set("train.min.windows", minWindows == null ? null : minWindows.toString());
    set("train.retrain.every", retrainEvery);
    set("train.topic.metrics", topic);
    if (publish) {
      set("train.publish", "true");
    }
    Config config = client.load(stack.layout());
    TrainerOptions o = TrainerOptions.from(config);
    if (printConfig) {
      out.print(config.describe(TrainerOptions.declared()));
      out.flush();
      return 0;
    }
    int sources = (csv != null ? 1 : 0) + (topic != null && !watch ? 1 : 0) + (watch ? 1 : 0);
    if (sources != 1 || (watch && csv != null)) {
      err.println("train: give exactly one of --from-csv DIR, --from-topic TOPIC or --watch [--from-topic TOPIC]");
      return 2;
    }
    if (csv != null && !Files.isDirectory(csv)) {
      err.println("train: --from-csv " + csv + " is not a directory");
      return 2;
    }
    try (TrainerApp app = TrainerApp.create(o, Clock.systemUTC())) {
      if (watch) {
        return watch(app, err);
      }
      TrainerApp.Result r = csv != null ? app.trainFromCsv(csv) : app.trainFromTopic(from, to);
      for (StoredModel m : r.trained()) {
        out.printf("%s v%d  %s%n", m.modelKey(), m.version(), m.artifact());
      }
      out.printf("trained %d models from %d points into %s%s; %d keys still warming up%s%n", r.trained().size(),
          r.points(), app.store().root(), o.publish ? ", announced on " + o.modelsTopic : "", r.skipped().size(),
          r.badRecords() > 0 ? "; " + r.badRecords() + " records were not MetricPoints" : "");
      out.flush();
      return 0;
    }
  }

  private int watch(TrainerApp app, PrintWriter err) throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      running.set(false);
      try {
        if (!done.await(30, TimeUnit.SECONDS)) {
          System.err.println("train: a training still runs; exiting without waiting for it");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "train-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err.println("train: watching; Ctrl-C stops it");
    err.flush();
    try {
      app.watch(running);
      return 0;
    } finally {
      done.countDown();
    }
  }

  private void set(String key, String value) {
    if (value != null) {
      client.overrides.add(key + "=" + value);
    }
  }
}
