package io.autonomic.cli;

import io.autonomic.config.Config;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.stack.flink.FlinkClusterSpec;
import io.autonomic.stack.flink.FlinkClusterState;
import io.autonomic.stack.flink.FlinkJobSubmitter;
import io.autonomic.stack.flink.FlinkRestClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./autonomic submit detector}: the detector's job jar to a Flink session cluster over REST (the local one of
 * {@code up --flink}, or any Flink 2.2 cluster with {@code --flink-url}), then waits until its tasks run.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Submit a Flink job (detector) to a Flink session cluster over its REST API and wait until it "
        + "runs; prints the job id and its web UI page. Kafka and the registry come from --config/--set, the "
        + "environment or the local stack, and are passed to the job as --set arguments.")
final class SubmitCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Parameters(index = "0", paramLabel = "JOB", description = "The job to submit: detector.")
  String job;

  @Option(names = "--flink-url", defaultValue = "${env:AUTONOMIC_FLINK_URL}", paramLabel = "URL",
      description = "REST URL of the Flink cluster (env AUTONOMIC_FLINK_URL; default: the cluster of "
          + "'up --flink', else http://127.0.0.1:8082).")
  String flinkUrl;

  @Option(names = "--jar", paramLabel = "FILE",
      description = "The job jar (default: flink-jobs' -job.jar from the build; env AUTONOMIC_JOB_JAR).")
  Path jar;

  @Option(names = "--timeout", defaultValue = "120", paramLabel = "S",
      description = "Seconds to wait for the job's tasks to run (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!"detector".equals(job)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "unknown job '" + job + "'; jobs: detector");
    }
    Config config = client.load(stack.layout());
    DetectorOptions.from(config); // bad options fail here, not on the JobManager
    List<String> args = programArgs(config);
    String url = flinkUrl != null && !flinkUrl.isBlank() ? flinkUrl : localClusterUrl();
    Path jobJar = jar != null ? jar : FlinkJobSubmitter.detectorJobJar();
    FlinkJobSubmitter submitter = new FlinkJobSubmitter(new FlinkRestClient(url), out);
    FlinkJobSubmitter.SubmittedJob submitted = submitter.submit(jobJar, FlinkJobSubmitter.DETECTOR_MAIN, args,
        Duration.ofSeconds(timeoutSeconds));
    out.println("job id  " + submitted.jobId());
    out.println("web UI  " + submitted.webUiUrl());
    out.flush();
    return 0;
  }

  /**
   * The detector's arguments: the config file (its absolute path: the JobManager reads it, on this machine for the
   * local cluster; secrets come from there), then every kafka, registry and detector value resolved here as --set,
   * since the JobManager sees neither this shell's environment nor the local stack's state file.
   */
  List<String> programArgs(Config config) {
    List<String> args = new ArrayList<>();
    if (client.configFile != null) {
      args.add("--config");
      args.add(client.configFile.toAbsolutePath().normalize().toString());
    }
    args.addAll(FlinkJobSubmitter.detectorArgs(config));
    return args;
  }

  private String localClusterUrl() {
    Path state = stack.layout().home().resolve("flink").resolve("cluster.properties");
    return FlinkClusterState.read(state).map(FlinkClusterState::restUrl)
        .orElse("http://127.0.0.1:" + System.getenv().getOrDefault("AUTONOMIC_FLINK_PORT",
            Integer.toString(FlinkClusterSpec.DEFAULT_REST_PORT)));
  }
}
