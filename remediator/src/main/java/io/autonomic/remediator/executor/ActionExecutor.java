package io.autonomic.remediator.executor;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionStatus;
import java.util.Map;

/**
 * The port through which commands are carried out: Kubernetes, local processes, webhooks, or a test fake.
 * Implementations do one thing per call and report it; {@link ExecutorRunner} adds the rules every executor
 * shares (idempotency by command id, expiry, approval, dry run, failure as a FAILED result).
 */
public interface ActionExecutor extends AutoCloseable {
  /** Name for ActionResult.executor, e.g. kubernetes or webhook. */
  String name();

  /** Whether this executor handles the command (others ignore it, so several executors can share the topic). */
  boolean supports(ActionCommand command);

  /** What a dry run of the command would do, in words, without changing anything. */
  default String describe(ActionCommand command) {
    return "would " + command.getKind() + " " + command.getTarget().getKind() + " "
        + (command.getTarget().getNamespace() == null ? "" : command.getTarget().getNamespace() + "/")
        + command.getTarget().getName() + " " + command.getParams();
  }

  /**
   * Carries the command out. Throwing is a FAILED result with the exception's message.
   */
  Outcome execute(ActionCommand command) throws Exception;

  @Override
  default void close() {}

  /**
   * @param status   APPLIED, FAILED, REJECTED or SKIPPED
   * @param message  what happened, in words
   * @param observed what was seen, e.g. replicas.before / replicas.after, http.status
   */
  record Outcome(ActionStatus status, String message, Map<String, String> observed) {
    public static Outcome applied(String message, Map<String, String> observed) {
      return new Outcome(ActionStatus.APPLIED, message, observed);
    }

    public static Outcome failed(String message) {
      return new Outcome(ActionStatus.FAILED, message, Map.of());
    }

    public static Outcome rejected(String message) {
      return new Outcome(ActionStatus.REJECTED, message, Map.of());
    }

    public static Outcome skipped(String message, Map<String, String> observed) {
      return new Outcome(ActionStatus.SKIPPED, message, observed);
    }
  }
}
