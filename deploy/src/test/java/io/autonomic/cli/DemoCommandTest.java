package io.autonomic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.config.ConfigException;
import io.autonomic.demo.sim.DemoPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo's flags are checked before anything starts, and errors say what is valid. */
class DemoCommandTest {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void anUnknownScenarioFailsBeforeAnythingStartsAndListsTheValidNames(@TempDir Path home) {
    Result r = run(home, "--scenarios", "memory-leak,disk-full");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("unknown scenario 'disk-full'; known: all, memory-leak, bad-deploy, dead-replica, "
        + "slow-dependency, traffic-spike");
    assertThat(home.resolve("stack.properties")).doesNotExist();
  }

  @Test
  void aDurationThatIsNotOneFailsWithAnExample(@TempDir Path home) {
    Result r = run(home, "--duration", "four minutes");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("--duration: 'four minutes' is not a duration; use e.g. 4m, 240s, 500ms or PT4M");
  }

  @Test
  void aDurationTooShortForTheScenariosSaysHowMuchEachNeeds(@TempDir Path home) {
    Result r = run(home, "--duration", "90s");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("--duration 90s is too short for 5 scenarios");
  }

  @Test
  void aTickOutsideItsRangeIsRefused(@TempDir Path home) {
    Result r = run(home, "--tick", "20ms");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("--tick: '20ms' must be between 100ms and 10s");
  }

  @Test
  void aShorterTickShortensTheDetectorsWarmUp() {
    DemoPlan plan = DemoCommand.plan(Duration.ofSeconds(100), "bad-deploy,dead-replica", T0,
        Duration.ofMillis(250));

    assertThat(plan.speed()).isEqualTo(40.0);
    Duration warmupReal = Duration.ofMillis(Math.round(plan.warmup().toMillis() / plan.speed()));
    assertThat(warmupReal).isBetween(Duration.ofMillis(250 * DemoCommand.DETECTOR_WARMUP_WINDOWS),
        Duration.ofSeconds(45));
    assertThat(plan.realLength()).isBetween(Duration.ofSeconds(98), Duration.ofSeconds(101));
  }

  @Test
  void durationsAcceptUnitsBareSecondsAndIso() {
    assertThat(DemoCommand.parseDuration("--duration", "4m")).isEqualTo(Duration.ofMinutes(4));
    assertThat(DemoCommand.parseDuration("--duration", "240s")).isEqualTo(Duration.ofSeconds(240));
    assertThat(DemoCommand.parseDuration("--duration", " 240 ")).isEqualTo(Duration.ofSeconds(240));
    assertThat(DemoCommand.parseDuration("--duration", "PT4M")).isEqualTo(Duration.ofMinutes(4));
    assertThatThrownBy(() -> DemoCommand.parseDuration("--duration", "0s")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> DemoCommand.parseDuration("--duration", "-4m")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> DemoCommand.parseDuration("--duration", "")).isInstanceOf(ConfigException.class);
  }

  @Test
  void theDefaultPlanGivesTheDetectorItsWarmUpAndEveryScenarioASlot() {
    DemoPlan plan = DemoCommand.plan(Duration.ofMinutes(4), "all", T0, DemoPlan.PERIOD);

    Duration warmupReal = Duration.ofMillis(Math.round(plan.warmup().toMillis() / plan.speed()));
    assertThat(warmupReal).isGreaterThanOrEqualTo(DemoPlan.PERIOD.multipliedBy(
        DemoCommand.DETECTOR_WARMUP_WINDOWS));
    assertThat(plan.scenarios()).hasSize(5);
    assertThat(plan.realLength()).isBetween(Duration.ofSeconds(235), Duration.ofSeconds(241));
  }

  @Test
  void scenariosAreRunInTheOrderGiven() {
    DemoPlan plan = DemoCommand.plan(Duration.ofSeconds(150), "dead-replica, bad-deploy", T0,
        DemoPlan.PERIOD);

    assertThat(plan.scenarios()).extracting(s -> s.name()).containsExactly("dead-replica", "bad-deploy");
  }

  @Test
  void waitingForAComponentReturnsOnceItIsReady() throws Exception {
    AtomicInteger checks = new AtomicInteger();

    DemoCommand.awaitReady("remediator", () -> checks.incrementAndGet() >= 3, Duration.ofSeconds(10), "");

    assertThat(checks).hasValue(3);
  }

  @Test
  void aComponentNotReadyInTimeFailsNamingItTheTimeoutAndWhereToLook() {
    long started = System.nanoTime();

    assertThatThrownBy(() -> DemoCommand.awaitReady("executor", () -> false, Duration.ofMillis(300),
        "; its log lines are in demo.log"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("executor did not become ready within 0.3 s; its log lines are in demo.log");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aReadinessCheckThatFailsEndsTheWaitWithItsError() {
    assertThatThrownBy(() -> DemoCommand.awaitReady("remediator", () -> {
      throw new IllegalArgumentException("consumer closed");
    }, Duration.ofSeconds(30), ""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("remediator failed while starting")
        .hasRootCauseMessage("consumer closed");
  }

  private record Result(int exit, String err) {}

  private static Result run(Path home, String... args) {
    CommandLine cli = Autonomic.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    String[] all = new String[args.length + 3];
    all[0] = "demo";
    all[1] = "--home";
    all[2] = home.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    int exit = cli.execute(all);
    assertThat(Files.exists(home.resolve("reports"))).isFalse();
    return new Result(exit, err.toString());
  }
}
