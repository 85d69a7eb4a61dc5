package io.autonomic.remediator.executor;

import static io.autonomic.remediator.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.remediator.Fixtures;
import io.autonomic.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local-process executor running real shell commands. */
class LocalProcessExecutorTest {
  final ManualClock clock = new ManualClock(Fixtures.T0);

  ExecutorRunner runner(ShellFleet.Commands commands) {
    return new ExecutorRunner(new LocalProcessExecutor(new ShellFleet(commands)), clock);
  }

  @Test
  void scalesThroughTheConfiguredCommandWithTheTargetInItsEnvironment(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("log");
    ExecutorRunner runner = runner(new ShellFleet.Commands(
        "echo \"$AUTONOMIC_TARGET=$AUTONOMIC_REPLICAS\" >> " + log + "; echo 2", null, null, Duration.ofSeconds(10)));

    ActionResult r = runner.handle(command("inc#1", ActionKind.SCALE, "service", null, "checkout; rm -rf /",
        Map.of("replicas", "4"))).orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.APPLIED);
    assertThat(r.getObserved()).containsEntry("replicas.before", "2").containsEntry("replicas.after", "4");
    assertThat(Files.readString(log)).isEqualTo("checkout; rm -rf /=4\n");
  }

  @Test
  void aFailingCommandIsAFailedResultWithItsOutput() {
    ExecutorRunner runner = runner(new ShellFleet.Commands(null, "echo no such instance; exit 3", null,
        Duration.ofSeconds(10)));

    ActionResult r = runner.handle(command("inc#0", ActionKind.RESTART, "process", null, "api-1", Map.of()))
        .orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.FAILED);
    assertThat(r.getMessage()).contains("restart exited with 3: no such instance");
  }

  @Test
  void aCommandThatHangsIsKilledAtItsTimeout() {
    ExecutorRunner runner = runner(new ShellFleet.Commands(null, "sleep 30", null, Duration.ofMillis(300)));

    ActionResult r = runner.handle(command("inc#0", ActionKind.RESTART, "process", null, "api-1", Map.of()))
        .orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.FAILED);
    assertThat(r.getMessage()).contains("timed out after 300 ms");
  }

  @Test
  void anActionWithoutACommandFails() {
    ExecutorRunner runner = runner(new ShellFleet.Commands(null, null, null, Duration.ofSeconds(1)));

    ActionResult r = runner.handle(command("inc#0", ActionKind.FAILOVER, "service", null, "db", Map.of()))
        .orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.FAILED);
    assertThat(r.getMessage()).contains("no command configured for failover");
  }
}
