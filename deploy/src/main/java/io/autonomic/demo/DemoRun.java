package io.autonomic.demo;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.Incident;
import io.autonomic.demo.fleet.ShopFleet;
import io.autonomic.demo.report.ReportData;
import io.autonomic.demo.report.ReportWriter;
import io.autonomic.demo.report.RunRecorder;
import io.autonomic.demo.scenario.ScenarioSchedule;
import io.autonomic.demo.scenario.ScenarioTimeline;
import io.autonomic.demo.scenario.Summary;
import io.autonomic.demo.sim.DemoObserver;
import io.autonomic.demo.sim.DemoPlan;
import io.autonomic.demo.sim.FleetSimulator;
import io.autonomic.demo.sim.Simulation;
import io.autonomic.demo.sim.TelemetrySink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * One demo run of the simulated shop, minus the infrastructure: it ticks the fleet and its faults, publishes the
 * telemetry to a sink, follows each fault (from the {@link DemoObserver.Events} it is given) on the terminal,
 * prints the summary table and writes the report. Whoever starts the stack, the detector, the streams apps and
 * the remediator hands {@link #fleet()} to the local-process executor
 * ({@code new LocalProcessExecutor(run.fleet())}) and this object to a {@link DemoObserver}.
 */
public final class DemoRun implements DemoObserver.Events, AutoCloseable {
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);
  private final DemoPlan plan;
  private final Simulation simulation;
  private final ScenarioTimeline timeline;
  private final RunRecorder recorder;
  private final FleetSimulator simulator;
  private final Clock clock;
  private final PrintStream out;
  private final Path reportDir;
  private final double threshold;
  private final String runId;
  private Path report;

  /**
   * @param plan        the run's timing and scenarios
   * @param seed        seed of the load noise and the fleet's noise
   * @param sink        where the telemetry goes (Kafka in the demo)
   * @param clock       the wall clock every time in the run is read from
   * @param out         the terminal
   * @param reportsRoot the run's report goes to {@code reportsRoot/<run id>/index.html}
   * @param threshold   the detector's anomaly threshold, drawn in the report
   */
  public DemoRun(DemoPlan plan, long seed, TelemetrySink sink, Clock clock, PrintStream out, Path reportsRoot,
      double threshold) {
    this.plan = plan;
    this.simulation = Simulation.of(plan, seed);
    this.clock = clock;
    this.out = out;
    this.threshold = threshold;
    this.runId = RUN_ID.format(clock.instant());
    this.reportDir = reportsRoot.resolve(runId);
    // evidence arriving up to 10 ticks (at least 5 s) after a fault closed still counts for it: event time decides
    // between it and the next fault (see ScenarioTimeline), so a long grace does not blur them
    Duration grace = plan.period().multipliedBy(10);
    this.timeline = new ScenarioTimeline(plan.scenarios(), grace.compareTo(Duration.ofSeconds(5)) < 0
        ? Duration.ofSeconds(5) : grace, 4, this::say);
    this.recorder = new RunRecorder(runId, seed, 1);
    this.simulator = new FleetSimulator(simulation, sink, plan, clock, this::onTick);
  }

  /** The shop's control port, for the local-process executor. */
  public ShopFleet fleet() {
    return simulation.fleet();
  }

  public String runId() {
    return runId;
  }

  public ScenarioTimeline timeline() {
    return timeline;
  }

  /**
   * Runs the schedule to its end, prints the summary, writes the report and returns the exit code: 0 only if
   * every fault was detected, remediated and recovered.
   */
  public int run() throws InterruptedException {
    Instant start = clock.instant();
    timeline.started(start);
    recorder.started(start);
    say(String.format("shop fleet: %s; %d scenarios, %.0fx time compression, about %d s", fleet().services(),
        plan.scenarios().size(), plan.speed(), plan.realLength().toSeconds()));
    simulator.start();
    try {
      long budget = plan.realLength().plusSeconds(60).toMillis();
      if (!simulator.awaitFinished(budget, TimeUnit.MILLISECONDS)) {
        say("the simulator did not finish within " + budget / 1000 + " s");
      }
    } finally {
      simulator.close();
      finish();
    }
    return Summary.exitCode(timeline);
  }

  /** Prints the summary and writes the report (once); also what a Ctrl-C leaves behind. */
  public synchronized Path finish() {
    if (report == null) {
      out.println();
      out.print(Summary.render(timeline));
      ReportData data = recorder.snapshot(clock.instant(), timeline, threshold);
      report = new ReportWriter().write(reportDir, data);
      out.println("report: " + report);
      out.flush();
    }
    return report;
  }

  private void onTick(Instant wall, Simulation.Tick tick) {
    for (ScenarioSchedule.Event e : tick.events()) {
      switch (e.phase()) {
        case INJECTED -> timeline.injected(e.scenario().name(), wall, tick.stamp());
        case SLOT_ENDED -> timeline.ended(e.scenario().name(), wall);
        case EXPIRED -> { }
      }
    }
    timeline.observeMetrics(wall, tick.sample().metrics());
    recorder.metrics(wall, tick.sample().metrics());
  }

  @Override
  public void anomaly(Instant at, AnomalyEvent e) {
    timeline.observeAnomaly(at, e);
    recorder.anomaly(at, e);
  }

  @Override
  public void incident(Instant at, Incident i) {
    timeline.observeIncident(at, i);
    recorder.incident(at, i);
  }

  @Override
  public void command(Instant at, ActionCommand c) {
    timeline.observeCommand(at, c);
    recorder.command(at, c);
  }

  @Override
  public void result(Instant at, ActionResult r) {
    timeline.observeResult(at, r);
    recorder.result(r);
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  /** Stops the simulator (Ctrl-C); {@link #finish} still writes what was seen. */
  @Override
  public void close() {
    simulator.close();
  }
}
