package io.autonomic.stack.flink;

import io.autonomic.config.Config;
import io.autonomic.flinkjobs.detector.DetectorMain;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Submits a job jar to a Flink session cluster over REST and waits until every task of the job runs: upload, run
 * with program arguments, poll, the same steps an operator takes against their own cluster. Used by
 * {@code ./autonomic submit} and by the demo with {@code --flink-cluster}.
 */
public final class FlinkJobSubmitter {
  /** The detector job jar's location when it is not where the build leaves it (env AUTONOMIC_JOB_JAR). */
  public static final String JOB_JAR_PROPERTY = "autonomic.flink.job.jar";
  public static final String DETECTOR_MAIN = DetectorMain.class.getName();

  private final FlinkRestClient rest;
  private final PrintWriter out;
  private final Clock clock;
  private final Duration pollInterval;

  public FlinkJobSubmitter(FlinkRestClient rest, PrintWriter out) {
    this(rest, out, Clock.systemUTC(), Duration.ofMillis(500));
  }

  public FlinkJobSubmitter(FlinkRestClient rest, PrintWriter out, Clock clock, Duration pollInterval) {
    this.rest = rest;
    this.out = out;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  /**
   * Uploads {@code jar}, runs {@code entryClass} with {@code programArgs} and waits until the job and all its tasks
   * run. A job that fails or is cancelled meanwhile, or does not run within {@code timeout}, fails with the job's
   * newest exception; it is cancelled when it did not come up in time, so no half-started job is left behind.
   */
  public SubmittedJob submit(Path jar, String entryClass, List<String> programArgs, Duration timeout)
      throws InterruptedException {
    Instant started = clock.instant();
    // Fails fast, naming the URL, when no cluster answers.
    FlinkRestClient.Overview overview = rest.overview();
    if (overview.taskManagers() < 1) {
      throw new FlinkRestException("the Flink cluster at " + rest.baseUrl() + " has no TaskManager; "
          + "see its logs (./autonomic status)");
    }
    say("submit    uploading %s to %s%n", jar.getFileName(), rest.baseUrl());
    String jarId = rest.uploadJar(jar);
    String jobId;
    try {
      jobId = rest.runJar(jarId, entryClass, programArgs);
    } finally {
      rest.deleteJar(jarId);
    }
    say("submit    job %s submitted; waiting for its tasks to run%n", jobId);
    Instant deadline = started.plus(timeout);
    FlinkRestClient.JobStatus status;
    while (true) {
      status = rest.job(jobId);
      if (status.fullyRunning()) {
        break;
      }
      if (status.terminal()) {
        throw new FlinkRestException("job " + jobId + " is " + status.state() + " instead of RUNNING"
            + rest.rootException(jobId).map(e -> ": " + e).orElse("") + "; see " + webUiUrl(jobId));
      }
      if (clock.instant().isAfter(deadline)) {
        Optional<String> cause = rest.rootException(jobId);
        rest.cancel(jobId);
        throw new FlinkRestException("job " + jobId + " did not start within " + timeout.toSeconds() + " s (state "
            + status.state() + ", tasks " + status.vertexStates() + ")" + cause.map(e -> ": " + e).orElse("")
            + "; it was cancelled");
      }
      TimeUnit.MILLISECONDS.sleep(pollInterval.toMillis());
    }
    Duration took = Duration.between(started, clock.instant());
    say("submit    job %s RUNNING (%s, %d tasks) after %.1f s%n", jobId, status.name(), status.vertexStates().size(),
        took.toMillis() / 1000.0);
    return new SubmittedJob(jobId, status.name(), rest.baseUrl(), webUiUrl(jobId), took);
  }

  /** Cancels a job this submitter (or anyone) started, waiting until it is no longer running. */
  public void cancel(String jobId, Duration timeout) throws InterruptedException {
    rest.cancel(jobId);
    Instant deadline = clock.instant().plus(timeout);
    while (!rest.job(jobId).terminal()) {
      if (clock.instant().isAfter(deadline)) {
        throw new FlinkRestException("job " + jobId + " did not stop within " + timeout.toSeconds() + " s at "
            + rest.baseUrl());
      }
      TimeUnit.MILLISECONDS.sleep(pollInterval.toMillis());
    }
  }

  /**
   * The detector on a session cluster in one call (the demo's {@code --flink-cluster}): the build's job jar,
   * {@link #detectorArgs(Config)} as its arguments, waits until it runs. Cancel it with {@link SubmittedJob#cancel}.
   */
  public static SubmittedJob submitDetector(String restUrl, Config config, PrintWriter out, Duration timeout)
      throws InterruptedException {
    return new FlinkJobSubmitter(new FlinkRestClient(restUrl), out)
        .submit(detectorJobJar(), DETECTOR_MAIN, detectorArgs(config), timeout);
  }

  /**
   * {@code --set key=value} arguments carrying every {@code kafka.*}, {@code registry.*} and {@code detector.*}
   * value of {@code config} (file, environment, flags and the local stack's addresses alike), for a JobManager that
   * sees none of them. Keys that look secret (passwords, JAAS configs) are left out: program arguments show in the
   * JobManager's log, so secrets belong in a config file the JobManager reads ({@code --config}).
   */
  public static List<String> detectorArgs(Config config) {
    List<String> args = new ArrayList<>();
    for (String section : List.of("kafka", "registry", "detector")) {
      config.section(section).forEach((key, value) -> {
        String full = section + "." + key;
        if (value != null && !Config.looksSecret(full)) {
          args.add("--set");
          args.add(full + "=" + value);
        }
      });
    }
    return args;
  }

  public String webUiUrl(String jobId) {
    return rest.baseUrl() + "/#/job/running/" + jobId + "/overview";
  }

  /**
   * The detector's job jar (flink-jobs' {@code -job} classifier): {@value #JOB_JAR_PROPERTY} or env
   * AUTONOMIC_JOB_JAR, else beside the flink-jobs jar this launcher runs with (in flink-jobs/target/ after a reactor
   * build, in the local Maven repository otherwise).
   */
  public static Path detectorJobJar() {
    String configured = System.getProperty(JOB_JAR_PROPERTY, System.getenv("AUTONOMIC_JOB_JAR"));
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (!Files.isRegularFile(p)) {
        throw new FlinkRestException("job jar " + p + " (from " + JOB_JAR_PROPERTY + " / AUTONOMIC_JOB_JAR) "
            + "does not exist");
      }
      return p;
    }
    Path code;
    try {
      code = Path.of(DetectorMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new FlinkRestException("cannot tell where the flink-jobs classes come from; set AUTONOMIC_JOB_JAR");
    }
    Path candidate;
    if (Files.isDirectory(code)) {
      // flink-jobs/target/classes: the shaded jar is in flink-jobs/target.
      candidate = findJobJar(code.getParent());
    } else {
      String name = code.getFileName().toString();
      candidate = code.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-job.jar");
    }
    if (candidate == null || !Files.isRegularFile(candidate)) {
      throw new FlinkRestException("the detector job jar is not built (looked for " + (candidate == null
          ? code.getParent() + "/*-job.jar" : candidate) + "); run 'mvn -B package -DskipTests -pl flink-jobs' "
          + "or set AUTONOMIC_JOB_JAR");
    }
    return candidate;
  }

  private static Path findJobJar(Path dir) {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith("-job.jar")).findFirst().orElse(null);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private void say(String format, Object... args) {
    out.printf(format, args);
    out.flush();
  }

  /** A job that runs on the cluster: its id and where to look at it. */
  public record SubmittedJob(String jobId, String name, String restUrl, String webUiUrl, Duration timeToRunning) {
    /** Cancels the job and waits until it stopped. */
    public void cancel(Duration timeout) throws InterruptedException {
      new FlinkJobSubmitter(new FlinkRestClient(restUrl), new PrintWriter(java.io.Writer.nullWriter()))
          .cancel(jobId, timeout);
    }
  }
}
