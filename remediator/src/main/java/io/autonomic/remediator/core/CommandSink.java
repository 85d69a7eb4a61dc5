package io.autonomic.remediator.core;

import io.autonomic.avro.ActionCommand;

/** Where the remediator core sends the commands it issues (the actions topic, or a test fake). */
@FunctionalInterface
public interface CommandSink {
  void accept(ActionCommand command);
}
