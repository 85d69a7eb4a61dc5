package io.autonomic.cli;

import io.autonomic.config.Config;
import io.autonomic.flinkjobs.detector.DetectorJob;
import io.autonomic.flinkjobs.detector.DetectorMain;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.stack.StackLayout;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the detector job in a local Flink MiniCluster against the local stack (or the configured Kafka and
 * registry) until Ctrl-C. Checkpoints are kept under the stack's home, and a restart resumes from the newest one,
 * so the scoring baselines survive restarts and no anomaly is lost or duplicated.
 */
@Command(name = "detector", mixinStandardHelpOptions = true,
    description = "Run the Flink detector (telemetry.metrics -> anomalies) in a local MiniCluster until Ctrl-C.")
final class DetectorCommand implements Callable<Integer> {
  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Option(names = "--fresh", description = "Ignore retained checkpoints: start with empty scoring state.")
  boolean fresh;

  @Option(names = "--print-config", description = "Print the resolved detector options and exit.")
  boolean printConfig;

  @Override
  public Integer call() throws Exception {
    StackLayout layout = stack.layout();
    Config config = client.load(layout);
    DetectorOptions o = DetectorOptions.from(config);
    if (printConfig) {
      System.out.print(config.describe(DetectorOptions.declared()));
      return 0;
    }
    if (o.checkpointDir == null) {
      o.checkpointDir = layout.home().resolve("checkpoints").resolve("detector").toAbsolutePath().toUri()
          .toString();
    }
    Configuration conf = DetectorMain.flinkConfiguration(o);
    Optional<Path> resume = fresh ? Optional.empty()
        : DetectorMain.latestCheckpoint(Paths.get(java.net.URI.create(o.checkpointDir)));
    if (resume.isPresent()) {
      conf = DetectorMain.resumingFrom(o, resume.get());
      System.err.println("detector: resuming from " + resume.get());
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);
    DetectorMain.pipeline(env, o, DetectorJob.defaultScorers(o), Clock.systemUTC());
    JobClient job = env.executeAsync(DetectorMain.JOB_NAME);
    System.err.println("detector: job " + job.getJobID() + " reads " + o.metricsTopic + ", writes "
        + o.anomaliesTopic + " (checkpoints in " + o.checkpointDir + "); Ctrl-C stops it");
    Thread hook = new Thread(() -> {
      try {
        job.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("detector: cancel did not finish: " + e.getMessage());
      }
    }, "detector-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      job.getJobExecutionResult().get();
    } catch (Exception e) {
      if (isCancelled(e)) {
        return 0;
      }
      System.err.println("detector: job failed: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private static boolean isCancelled(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().contains("Cancel") || String.valueOf(t.getMessage()).contains("cancel")) {
        return true;
      }
    }
    return false;
  }
}
