package io.autonomic.remediator.executor;

import static io.autonomic.remediator.Commands.command;
import static io.autonomic.remediator.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import io.autonomic.testkit.ManualClock;
import io.autonomic.remediator.TestingExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorRunnerTest {
  final ManualClock clock = new ManualClock(T0.plusSeconds(5));
  final TestingExecutor executor = new TestingExecutor();
  final ExecutorRunner runner = new ExecutorRunner(executor, clock);

  static ActionCommand restart(String id) {
    return command(id, ActionKind.RESTART, "process", null, "checkout", Map.of());
  }

  @Test
  void carriesACommandOutOnceByItsId() {
    ActionResult r = runner.handle(restart("inc#0")).orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.APPLIED);
    assertThat(r.getIncidentId()).isEqualTo("inc");
    assertThat(runner.handle(restart("inc#0"))).isEmpty();
    assertThat(executor.executed()).hasSize(1);
  }

  @Test
  void aRememberedCommandIsNotCarriedOutAgain() {
    runner.remember("inc#0");

    assertThat(runner.handle(restart("inc#0"))).isEmpty();
    assertThat(executor.executed()).isEmpty();
  }

  @Test
  void anExpiredCommandIsRejected() {
    clock.advance(Duration.ofMinutes(10));

    ActionResult r = runner.handle(restart("inc#0")).orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.REJECTED);
    assertThat(r.getMessage()).startsWith("expired at");
    assertThat(executor.executed()).isEmpty();
  }

  @Test
  void anUnknownKindIsRejected() {
    ActionResult r = runner.handle(command("inc#0", ActionKind.UNKNOWN, "process", null, "x", Map.of()))
        .orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.REJECTED);
  }

  @Test
  void aCommandThatNeedsApprovalButCarriesNoneIsRejected() {
    ActionCommand c = restart("inc#0");
    c.setRequiresApproval(true);

    assertThat(runner.handle(c).orElseThrow().getStatus()).isEqualTo(ActionStatus.REJECTED);

    ActionCommand approved = restart("inc#1");
    approved.setRequiresApproval(true);
    approved.setParams(Map.of("approvedBy", "alice"));
    assertThat(runner.handle(approved).orElseThrow().getStatus()).isEqualTo(ActionStatus.APPLIED);
  }

  @Test
  void aDryRunIsSkippedAndChangesNothing() {
    ActionCommand c = restart("inc#0");
    c.setDryRun(true);

    ActionResult r = runner.handle(c).orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.SKIPPED);
    assertThat(r.getDryRun()).isTrue();
    assertThat(r.getMessage()).startsWith("dry run: would RESTART process checkout");
    assertThat(executor.executed()).isEmpty();
  }

  @Test
  void anExecutorFailureIsAFailedResultWithTheReason() {
    executor.thenThrow(new IOException("connection refused"));

    ActionResult r = runner.handle(restart("inc#0")).orElseThrow();

    assertThat(r.getStatus()).isEqualTo(ActionStatus.FAILED);
    assertThat(r.getMessage()).isEqualTo("IOException: connection refused");
  }

  @Test
  void commandsForOtherExecutorsAreLeftAlone() {
    assertThat(runner.handle(command("inc#0", ActionKind.RESTART, "elsewhere", null, "x", Map.of()))).isEmpty();
  }
}
