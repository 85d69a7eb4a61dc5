package io.autonomic.remediator;

import io.autonomic.avro.ActionCommand;
import io.autonomic.remediator.executor.ActionExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Records the commands it is asked to carry out and answers with queued outcomes (APPLIED by default). */
public final class TestingExecutor implements ActionExecutor {
  private final List<ActionCommand> executed = new ArrayList<>();
  private final Deque<Object> answers = new ArrayDeque<>();

  /** The next call answers with this outcome. */
  public TestingExecutor thenAnswer(Outcome o) {
    answers.add(o);
    return this;
  }

  /** The next call throws this. */
  public TestingExecutor thenThrow(Exception e) {
    answers.add(e);
    return this;
  }

  public List<ActionCommand> executed() {
    return executed;
  }

  @Override
  public String name() {
    return "testing";
  }

  @Override
  public boolean supports(ActionCommand command) {
    return !command.getTarget().getKind().equals("elsewhere");
  }

  @Override
  public Outcome execute(ActionCommand command) throws Exception {
    executed.add(command);
    Object a = answers.poll();
    if (a instanceof Exception e) {
      throw e;
    }
    return a == null ? Outcome.applied("done", Map.of()) : (Outcome) a;
  }
}
