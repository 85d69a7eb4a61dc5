package io.autonomic.remediator.executor;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules every executor follows, around an {@link ActionExecutor}: a command id is carried out at most once
 * (a repeat gets no second result), an expired command, an UNKNOWN kind or an unapproved command that needs
 * approval is REJECTED, a dry run is SKIPPED with what would have happened, and an exception is FAILED with its
 * reason. Plain Java: the Kafka loop only feeds it.
 */
public final class ExecutorRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorRunner.class);
  private static final int REMEMBERED = 100_000;

  private final ActionExecutor executor;
  private final Clock clock;
  private final Set<String> done = new LinkedHashSet<>();

  public ExecutorRunner(ActionExecutor executor, Clock clock) {
    this.executor = executor;
    this.clock = clock;
  }

  /** Remembers a command id already handled (from the action-results topic at start). */
  public void remember(String commandId) {
    done.add(commandId);
    if (done.size() > REMEMBERED) {
      Iterator<String> it = done.iterator();
      it.next();
      it.remove();
    }
  }

  public boolean supports(ActionCommand command) {
    return executor.supports(command);
  }

  /** The result of handling the command, or empty when it was handled before (or is not ours). */
  public Optional<ActionResult> handle(ActionCommand c) {
    if (!executor.supports(c) || done.contains(c.getCommandId())) {
      return Optional.empty();
    }
    Instant started = clock.instant();
    ActionExecutor.Outcome outcome;
    if (c.getKind() == ActionKind.UNKNOWN) {
      outcome = ActionExecutor.Outcome.rejected("unknown action kind (written by a newer remediator?)");
    } else if (!started.isBefore(c.getExpiresAt())) {
      outcome = ActionExecutor.Outcome.rejected("expired at " + c.getExpiresAt() + ", not started");
    } else if (c.getRequiresApproval() && !c.getParams().containsKey("approvedBy")) {
      outcome = ActionExecutor.Outcome.rejected("requires approval and carries none");
    } else if (c.getDryRun()) {
      outcome = ActionExecutor.Outcome.skipped("dry run: " + executor.describe(c), Map.of());
    } else {
      try {
        outcome = executor.execute(c);
      } catch (Exception e) {
        outcome = ActionExecutor.Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    remember(c.getCommandId());
    ActionResult r = ActionResult.newBuilder()
        .setCommandId(c.getCommandId())
        .setStatus(outcome.status())
        .setMessage(outcome.message())
        .setExecutor(executor.name())
        .setStartedAt(started)
        .setFinishedAt(clock.instant())
        .setObserved(new LinkedHashMap<>(outcome.observed()))
        .setIncidentId(c.getIncidentId())
        .setDryRun(c.getDryRun())
        .build();
    if (outcome.status() == ActionStatus.FAILED || outcome.status() == ActionStatus.REJECTED) {
      LOG.warn("command {} id={} kind={} target={}: {}", outcome.status(), c.getCommandId(), c.getKind(),
          c.getTarget().getName(), outcome.message());
    } else {
      LOG.info("command {} id={} kind={} target={}: {}", outcome.status(), c.getCommandId(), c.getKind(),
          c.getTarget().getName(), outcome.message());
    }
    return Optional.of(r);
  }
}
