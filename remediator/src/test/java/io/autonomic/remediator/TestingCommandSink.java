package io.autonomic.remediator;

import io.autonomic.avro.ActionCommand;
import io.autonomic.remediator.core.CommandSink;
import java.util.ArrayList;
import java.util.List;

/** Records every command the core issues. */
public final class TestingCommandSink implements CommandSink {
  private final List<ActionCommand> commands = new ArrayList<>();

  @Override
  public void accept(ActionCommand command) {
    commands.add(command);
  }

  public List<ActionCommand> commands() {
    return commands;
  }

  public ActionCommand last() {
    return commands.get(commands.size() - 1);
  }
}
