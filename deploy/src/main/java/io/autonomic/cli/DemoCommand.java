package io.autonomic.cli;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigException;
import io.autonomic.config.ConfigLoader;
import io.autonomic.config.Durations;
import io.autonomic.demo.DemoLogs;
import io.autonomic.demo.DemoRun;
import io.autonomic.demo.sim.DemoObserver;
import io.autonomic.demo.sim.DemoPlan;
import io.autonomic.demo.sim.KafkaTelemetrySink;
import io.autonomic.flinkjobs.detector.DetectorJob;
import io.autonomic.flinkjobs.detector.DetectorMain;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.ingest.IngestOptions;
import io.autonomic.ingest.agent.AgentApp;
import io.autonomic.remediator.app.RemediatorApp;
import io.autonomic.remediator.app.RemediatorOptions;
import io.autonomic.remediator.executor.ExecutorApp;
import io.autonomic.remediator.executor.LocalProcessExecutor;
import io.autonomic.schemas.Topics;
import io.autonomic.stack.LocalStack;
import io.autonomic.stack.StackLayout;
import io.autonomic.stack.StackState;
import io.autonomic.stack.flink.FlinkClusterSpec;
import io.autonomic.stack.flink.FlinkClusterState;
import io.autonomic.stack.flink.FlinkJobSubmitter;
import io.autonomic.stack.flink.FlinkSessionCluster;
import io.autonomic.streams.StreamsApp;
import io.autonomic.streams.StreamsOptions;
import io.autonomic.streams.StreamsRunner;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole loop on this machine against a simulated shop: the local stack (started if it is not running), the
 * streams apps, the detector in a Flink MiniCluster, the remediator with the demo's policies, the local executor
 * driving the simulated fleet, the agent on this host (the machine's own metrics, which the demo's policies never
 * act on); then one {@link DemoRun} injects the faults one after another and follows each from injection to
 * recovery. Everything it started is stopped at the end or on Ctrl-C, in reverse order; the
 * stack is stopped only if this command started it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the closed loop end to end on a simulated shop: start the stack and every app, inject the "
        + "fault scenarios, print one line per fault (injected -> detected -> action -> recovered) and a summary, "
        + "write an HTML report. Exits 0 only if every fault was detected and remediated.")
final class DemoCommand implements Callable<Integer> {
  /** The demo's policies, copied from the classpath to a directory the remediator hot-reloads. */
  static final List<String> POLICY_FILES = List.of("guardrails.yaml", "services.yaml");

  @Mixin
  StackOptions stack;

  @Mixin
  ClientOptionsMixin client;

  @Option(names = "--duration", defaultValue = "4m", paramLabel = "DURATION",
      description = "Real length of the run, e.g. 4m, 240s (default: ${DEFAULT-VALUE}); the detector's warm-up "
          + "(130 ticks and 10 s, at least a fifth) comes first, then one equal slot per scenario.")
  String duration;

  @Option(names = "--scenarios", defaultValue = "all", paramLabel = "all|NAME,...",
      description = "Which faults to inject: all, or comma-separated among traffic-spike, memory-leak, bad-deploy, "
          + "dead-replica, slow-dependency (default: ${DEFAULT-VALUE}).")
  String scenarios;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the load and fleet noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tick", defaultValue = "500ms", paramLabel = "DURATION",
      description = "Real time per 10 s tick of the simulated shop, and the detector's window (default: "
          + "${DEFAULT-VALUE}, i.e. 20x); shorter ticks shorten the detector's warm-up of "
          + DETECTOR_WARMUP_WINDOWS + " windows.")
  String tick;

  @Option(names = "--policies", paramLabel = "DIR",
      description = "Use this policy directory instead of the demo's own.")
  Path policies;

  @Option(names = "--flink-cluster",
      description = "Run the detector on the Flink session cluster of './autonomic up --flink' (started if it is "
          + "not running, stopped at the end if the demo started it) instead of a local MiniCluster.")
  boolean flinkCluster;

  @Option(names = "--flink-port", defaultValue = "${env:AUTONOMIC_FLINK_PORT:-8082}",
      description = "With --flink-cluster: Flink REST API and web UI port, as for 'up --flink' (env "
          + "AUTONOMIC_FLINK_PORT; default: ${DEFAULT-VALUE}).")
  int flinkPort;

  @Option(names = "--flink-rpc-port", defaultValue = "${env:AUTONOMIC_FLINK_RPC_PORT:-6123}",
      description = "With --flink-cluster: Flink JobManager RPC port (env AUTONOMIC_FLINK_RPC_PORT; default: "
          + "${DEFAULT-VALUE}).")
  int flinkRpcPort;

  @Option(names = "--flink-metrics-port", defaultValue = "${env:AUTONOMIC_FLINK_METRICS_PORT:-9249}",
      description = "With --flink-cluster: Prometheus reporter port of the JobManager; the TaskManager's is the "
          + "next one (env AUTONOMIC_FLINK_METRICS_PORT; default: ${DEFAULT-VALUE}).")
  int flinkMetricsPort;

  @Option(names = "--stack-timeout", defaultValue = "120",
      description = "Seconds to wait for the local stack to become healthy (default: ${DEFAULT-VALUE}).")
  int stackTimeoutSeconds;

  /** Real time per tick at least: the detector's windows must close faster than Kafka and Flink can follow. */
  static final Duration MIN_TICK = Duration.ofMillis(100);
  /** Windows the level scorer needs before it scores: its own warm-up (30) and the likelihood's learning (100). */
  static final int DETECTOR_WARMUP_WINDOWS = 130;
  /** How often {@link #awaitReady} asks whether a component is ready. */
  static final Duration READY_POLL = Duration.ofMillis(100);

  private final Deque<Stoppable> started = new ArrayDeque<>();
  private final PrintStream out = System.out;
  private volatile boolean stopped;

  interface Stoppable {
    void stop() throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    Duration total = parseDuration("--duration", duration);
    Duration period = parseDuration("--tick", tick);
    if (period.compareTo(MIN_TICK) < 0 || period.compareTo(DemoPlan.STEP) > 0) {
      throw new ConfigException("--tick: '" + tick + "' must be between " + MIN_TICK.toMillis() + "ms and "
          + DemoPlan.STEP.toSeconds() + "s");
    }
    Clock clock = Clock.systemUTC();
    Instant now = clock.instant();
    DemoPlan plan;
    try {
      plan = plan(total, scenarios, now, period);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    StackLayout layout = stack.layout();
    String tag = "demo-" + now.getEpochSecond();
    Thread hook = new Thread(this::stopAll, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      startStack(layout);
      Path logFile = layout.home().resolve("logs").resolve(tag + ".log");
      Files.createDirectories(logFile.getParent());
      DemoLogs logs = DemoLogs.toFile(logFile);
      started.push(logs::close);
      say("logs        " + logFile + " (the apps' own log lines)");
      Path policyDir = policies != null ? policies : installPolicies(layout.home().resolve("demo").resolve("policies"));
      Config config = demoConfig(layout, tag, policyDir, plan.period());

      // A run's incidents and the remediator's memory of them (open incidents, action counts for the rate
      // limits) are its own: on a stack kept from an earlier run, the correlator would fold this run's anomalies
      // into that run's still-open incidents and the remediator would restore that run's counters.
      startAtEnd(config, config.get(StreamsOptions.CORRELATOR_APP_ID), List.of(Topics.ANOMALIES.name()));
      String stateTopic = config.get(RemediatorOptions.TOPIC_STATE);
      createCompacted(config, stateTopic);
      started.push(() -> deleteTopic(config, stateTopic));

      say("streams     starting (normalizer, log-patterns, correlator)");
      StreamsRunner streams = StreamsRunner.start(config, EnumSet.allOf(StreamsApp.class), clock);
      started.push(() -> streams.close());

      DetectorOptions detectorOptions = DetectorOptions.from(config);
      if (flinkCluster) {
        submitDetector(config, layout);
      } else {
        startDetector(detectorOptions, layout, tag, clock);
      }

      // fresh groups, but on a stack kept from an earlier run the topics still hold that run's records
      startAtEnd(config, "autonomic-" + tag + "-remediator", List.of(Topics.ANOMALIES.name(),
          Topics.INCIDENTS.name(), Topics.ACTION_RESULTS.name(), Topics.APPROVALS.name()));
      startAtEnd(config, "autonomic-" + tag + "-executor", List.of(Topics.ACTIONS.name()));
      say("remediator  starting, policies " + policyDir);
      RemediatorApp remediator = RemediatorApp.create(config, clock);
      started.push(remediator::close);
      remediator.start();

      // the run exists before the executor: the executor drives the run's fleet
      double threshold = Double.isNaN(detectorOptions.threshold) ? 0.99 : detectorOptions.threshold;
      KafkaTelemetrySink sink = KafkaTelemetrySink.create(config);
      DemoRun run = new DemoRun(plan, seed, sink, clock, out, layout.home().resolve("reports"), threshold);
      started.push(() -> {
        run.close();
        run.finish();
      });

      say("executor    starting (local, simulated fleet)");
      ExecutorApp executor = ExecutorApp.create(new LocalProcessExecutor(run.fleet()), config, clock,
          "autonomic-" + tag + "-executor");
      Thread executorThread = new Thread(executor, "demo-executor");
      executorThread.setDaemon(true);
      executorThread.start();
      started.push(() -> {
        executor.close();
        executorThread.join(TimeUnit.SECONDS.toMillis(15));
      });

      String seeLogs = "; its log lines are in " + logFile;
      awaitReady("remediator", remediator::ready, Duration.ofSeconds(60), seeLogs);
      say("remediator  ready");
      awaitReady("executor", executor::ready, Duration.ofSeconds(60), seeLogs);
      say("executor    ready");

      // The agent at its own pace (collectors.host.interval, 10 s), as an operator runs it: the detector judges
      // each series by its own period, so host series are not taken for absent between two collections.
      Config agentConfig = agentConfig(config, layout, tag);
      say("agent       starting (this host's cpu, memory, disk, network every "
          + agentConfig.get(IngestOptions.HOST_INTERVAL).toSeconds() + " s; observed, never acted on)");
      AgentApp agent = AgentApp.start(agentConfig, clock);
      started.push(agent::close);
      say("agent       " + agent.agentId() + " publishing; metrics on http://localhost:" + agent.metricsPort()
          + "/metrics");

      DemoObserver observer = DemoObserver.create(config, run, clock).start(Duration.ofSeconds(30));
      started.push(observer::close);
      say("all components up; run " + run.runId() + ", seed " + seed);

      int code = run.run();
      stopAll();
      Runtime.getRuntime().removeShutdownHook(hook);
      return code;
    } catch (Exception e) {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running
      }
      throw e;
    }
  }

  /**
   * {@link DemoPlan#fitting}, with the warm-up stretched (taken from the fault slots) to what the detector needs
   * before it scores: the level model's warm-up plus the anomaly likelihood's learning period, in windows.
   */
  static DemoPlan plan(Duration total, String spec, Instant now, Duration period) {
    DemoPlan base = DemoPlan.fitting(total, spec, now, period);
    double speed = base.speed();
    Duration detectorWarmup = period.multipliedBy(DETECTOR_WARMUP_WINDOWS).plusSeconds(10);
    Duration baseWarmupReal = Duration.ofMillis(Math.round(base.warmup().toMillis() / speed));
    if (detectorWarmup.compareTo(baseWarmupReal) <= 0) {
      return base;
    }
    int n = base.scenarios().size();
    Duration slotReal = total.minus(detectorWarmup).dividedBy(Math.max(1, n));
    if (slotReal.compareTo(Duration.ofSeconds(20)) < 0) {
      throw new IllegalArgumentException("--duration " + total.toSeconds() + "s is too short for " + n
          + " scenarios: give each at least 20 s after a " + detectorWarmup.toSeconds() + " s warm-up");
    }
    Duration slot = Duration.ofMillis(Math.round(slotReal.toMillis() * speed));
    List<io.autonomic.demo.scenario.Scenario> selected = io.autonomic.demo.scenario.Scenarios.select(spec,
        slot.multipliedBy(6).dividedBy(10));
    return new DemoPlan(now, base.step(), base.period(), Duration.ofMillis(Math.round(detectorWarmup.toMillis()
        * speed)), slot, base.dayLength(), selected);
  }

  private void startStack(StackLayout layout) throws Exception {
    boolean running = StackState.read(layout.stateFile())
        .map(s -> s.kafkaAlive() && s.registryAlive()).orElse(false);
    PrintWriter w = new PrintWriter(out, true);
    if (running) {
      say("stack       already running (left running at the end)");
      new LocalStack(layout, w).up(Duration.ofSeconds(stackTimeoutSeconds)); // checks health and topics
      return;
    }
    say("stack       starting under " + layout.home());
    LocalStack localStack = new LocalStack(layout, w);
    started.push(() -> {
      say("stack       stopping");
      localStack.down();
    });
    localStack.up(Duration.ofSeconds(stackTimeoutSeconds));
  }

  /** The same job jar and REST calls as {@code ./autonomic submit detector}, with the demo's detector settings. */
  private void submitDetector(Config config, StackLayout layout) throws Exception {
    Path home = layout.home().resolve("flink");
    PrintWriter w = new PrintWriter(out, true);
    FlinkSessionCluster cluster = new FlinkSessionCluster(FlinkClusterSpec.defaults(home, layout.host())
        .withPorts(flinkPort, flinkRpcPort, flinkMetricsPort, flinkMetricsPort + 1), w);
    boolean running = FlinkSessionCluster.status(cluster.spec().stateFile())
        .map(FlinkSessionCluster.Status::healthy).orElse(false);
    if (!running) {
      say("flink       starting a session cluster under " + home);
      started.push(() -> {
        say("flink       stopping the session cluster");
        cluster.down();
      });
    }
    FlinkClusterState state = cluster.up(Duration.ofSeconds(stackTimeoutSeconds));
    FlinkJobSubmitter.SubmittedJob job = FlinkJobSubmitter.submitDetector(state.restUrl(), config, w,
        Duration.ofSeconds(180));
    say("detector    running on the Flink cluster " + state.restUrl() + " (job " + job.jobId() + "), "
        + job.webUiUrl());
    started.push(() -> {
      try {
        job.cancel(Duration.ofSeconds(30));
      } catch (Exception e) {
        say("detector    cancel did not finish: " + e.getMessage());
      }
    });
  }

  private void startDetector(DetectorOptions o, StackLayout layout, String tag, Clock clock) throws Exception {
    o.checkpointDir = layout.home().resolve("checkpoints").resolve(tag).toAbsolutePath().toUri().toString();
    Configuration conf = DetectorMain.flinkConfiguration(o);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);
    DetectorMain.pipeline(env, o, DetectorJob.defaultScorers(o), clock);
    JobClient job = env.executeAsync(DetectorMain.JOB_NAME);
    say("detector    started in a local MiniCluster (job " + job.getJobID() + ", window " + o.windowSize + ")");
    started.push(() -> {
      try {
        job.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        say("detector    cancel did not finish: " + e.getMessage());
      }
    });
  }

  /**
   * The demo's settings under whatever the user configured: fresh consumer groups and application ids per run
   * (nothing from an earlier run is replayed), ephemeral HTTP ports, the demo's policies.
   */
  private Config demoConfig(StackLayout layout, String tag, Path policyDir, Duration window) {
    List<String> defaults = new ArrayList<>();
    defaults.add(RemediatorOptions.POLICIES_DIR.key() + "=" + policyDir.toAbsolutePath());
    defaults.add(RemediatorOptions.APPLICATION_ID.key() + "=autonomic-" + tag + "-remediator");
    defaults.add(RemediatorOptions.HTTP_PORT.key() + "=0");
    defaults.add(RemediatorOptions.TOPIC_STATE.key() + "=autonomic-" + tag + "-remediator-state");
    defaults.add(StreamsOptions.CORRELATOR_APP_ID.key() + "=autonomic-" + tag + "-correlator");
    defaults.add(DetectorOptions.GROUP_ID.key() + "=autonomic-" + tag + "-detector");
    defaults.add(DetectorOptions.TRANSACTIONAL_ID_PREFIX.key() + "=autonomic-" + tag + "-detector");
    defaults.add(DetectorOptions.STARTING_OFFSETS.key() + "=latest");
    // One window per tick of the fleet (500 ms real by default, 10 s simulated): telemetry carries real time
    // (see Simulation), so the window is the tick's real period. The level model's warm-up and the likelihood's
    // learning period (130 windows) fit in the demo's warm-up.
    defaults.add(DetectorOptions.WINDOW_SIZE.key() + "=" + window.toMillis() + "ms");
    // every point of a tick carries the same stamp and one producer writes them in order: a window can close as
    // soon as the next tick's points arrive
    defaults.add(DetectorOptions.OUT_OF_ORDERNESS.key() + "=0ms");
    defaults.add(DetectorOptions.SCORER.key() + "=level");
    defaults.add(DetectorOptions.SCORED_FEATURES.key() + "=mean,max");
    // The level score is a log-compressed robust z, then a Gaussian tail likelihood: 0.99 needs z of about 12 in
    // the likelihood's own history, which a minute-scale demo fault rarely reaches; 0.9 needs about 8.
    defaults.add(DetectorOptions.THRESHOLD.key() + "=0.9");
    // a replica that dies sends nothing: its series are reported absent after 3 missing windows (1.5 s)
    defaults.add(DetectorOptions.ABSENT_WINDOWS.key() + "=3");
    // partitions without telemetry must not hold the watermark back for long
    defaults.add(DetectorOptions.IDLENESS.key() + "=2s");
    // anomalies are committed with each checkpoint: a short interval keeps detection inside a fault's slot
    defaults.add(DetectorOptions.CHECKPOINT_INTERVAL.key() + "=2s");
    defaults.add("streams.http.port=0");
    // the user's --set comes last and wins
    List<String> user = new ArrayList<>(client.overrides);
    client.overrides.clear();
    client.overrides.addAll(defaults);
    client.overrides.addAll(user);
    return client.load(layout);
  }

  /**
   * Commits the current end of {@code topics} for {@code group}, a group that has not run yet. The remediator and
   * the executor start a group without offsets at the earliest record: on a stack kept from an earlier demo that
   * would replay the earlier runs' anomalies and commands into this one (and keep the remediator busy with them
   * while this run's faults wait).
   */
  private static void startAtEnd(Config config, String group, List<String> topics) throws Exception {
    try (Admin admin = Admin.create(ClientOptions.kafkaProperties(config))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
        d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
          .get(30, TimeUnit.SECONDS).forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
      admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** The run's own remediator changelog: compacted like {@code remediator.state}, one partition. */
  private static void createCompacted(Config config, String topic) throws Exception {
    try (Admin admin = Admin.create(ClientOptions.kafkaProperties(config))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  private void deleteTopic(Config config, String topic) {
    try (Admin admin = Admin.create(ClientOptions.kafkaProperties(config))) {
      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      say("stack       could not delete the run's topic " + topic + ": " + e.getMessage());
    }
  }

  private static Path installPolicies(Path dir) throws Exception {
    Files.createDirectories(dir);
    for (String name : POLICY_FILES) {
      try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/policies/" + name)) {
        if (in == null) {
          throw new IllegalStateException("demo policy /demo/policies/" + name + " is missing from the launcher");
        }
        Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  /**
   * Waits until {@code ready} holds, at most {@code timeout}. The components only expose a readiness flag (their
   * consumers joined and restored), so a scheduled task checks it every {@link #READY_POLL} and completes a
   * future the caller waits on with the timeout; a check that throws ends the wait with its error.
   *
   * @param hint appended to the timeout's message (where to look)
   * @throws IllegalStateException naming the component and the timeout when it is not ready in time
   */
  static void awaitReady(String what, BooleanSupplier ready, Duration timeout, String hint)
      throws InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-await-" + what);
      t.setDaemon(true);
      return t;
    });
    try {
      checker.scheduleWithFixedDelay(() -> {
        try {
          if (ready.getAsBoolean()) {
            done.complete(null);
          }
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
        }
      }, 0, READY_POLL.toMillis(), TimeUnit.MILLISECONDS);
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " did not become ready within " + timeout.toMillis() / 1000.0 + " s"
          + hint);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed while starting: " + e.getCause(), e.getCause());
    } finally {
      checker.shutdownNow();
    }
  }

  /**
   * The agent's own config (it rejects other apps' keys): the demo's Kafka and registry sections, this run's
   * spool, its /metrics and /health on a free port; the host collector at its default interval. The demo's policies match only
   * the shop ({@code namespace=shop}), so nothing the agent reports is ever acted on.
   */
  private static Config agentConfig(Config config, StackLayout layout, String tag) {
    List<String> sets = new ArrayList<>();
    config.section("kafka").forEach((k, v) -> sets.add("kafka." + k + "=" + v));
    config.section("registry").forEach((k, v) -> sets.add("registry." + k + "=" + v));
    sets.add(IngestOptions.METRICS_PORT.key() + "=0");
    sets.add(IngestOptions.SPOOL_DIR.key() + "=" + layout.home().resolve("spool").resolve(tag).toAbsolutePath());
    return ConfigLoader.load(null, sets, Map.of(), Map.of());
  }

  /** Stops what was started, newest first; safe to call twice (end of run and the Ctrl-C hook). */
  private synchronized void stopAll() {
    if (stopped) {
      return;
    }
    stopped = true;
    while (!started.isEmpty()) {
      Stoppable s = started.pop();
      try {
        s.stop();
      } catch (Exception e) {
        say("stopping: " + e);
      }
    }
    out.flush();
  }

  private void say(String line) {
    out.println("demo: " + line);
    out.flush();
  }

  /** {@code 4m}, {@code 240s}, {@code 1h}, {@code 500ms}, a bare number of seconds, or ISO-8601 ({@code PT4M}). */
  static Duration parseDuration(String flag, String s) {
    String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
        d = Duration.ofSeconds(Long.parseLong(v));
      } else {
        d = Durations.parse(v);
      }
    } catch (RuntimeException e) {
      throw new ConfigException(flag + ": '" + s + "' is not a duration; use e.g. 4m, 240s, 500ms or PT4M");
    }
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException(flag + ": '" + s + "' must be positive");
    }
    return d;
  }
}
