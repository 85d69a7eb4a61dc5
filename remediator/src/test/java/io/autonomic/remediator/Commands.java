package io.autonomic.remediator;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionTarget;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Command builders for executor tests. */
public final class Commands {
  private Commands() {}

  public static ActionCommand command(String id, ActionKind kind, String targetKind, String ns, String name,
      Map<String, String> params) {
    return ActionCommand.newBuilder()
        .setCommandId(id)
        .setIncidentId(id.contains("#") ? id.substring(0, id.indexOf('#')) : id)
        .setStepIndex(0)
        .setPolicy("p")
        .setKind(kind)
        .setTarget(new ActionTarget(targetKind, ns, name))
        .setParams(new LinkedHashMap<>(params))
        .setDryRun(false)
        .setRequiresApproval(false)
        .setReason("latency high on " + name)
        .setCreatedAt(Fixtures.T0)
        .setExpiresAt(Fixtures.T0.plus(Duration.ofMinutes(10)))
        .build();
  }
}
