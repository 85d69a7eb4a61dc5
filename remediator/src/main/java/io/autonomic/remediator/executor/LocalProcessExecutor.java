package io.autonomic.remediator.executor;

import io.autonomic.avro.ActionCommand;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Commands on local services (target kind {@code process} or {@code service}) through the {@link Fleet} port. */
public final class LocalProcessExecutor implements ActionExecutor {
  private static final Set<String> KINDS = Set.of("process", "service");
  private final Fleet fleet;

  public LocalProcessExecutor(Fleet fleet) {
    this.fleet = fleet;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public boolean supports(ActionCommand c) {
    return KINDS.contains(c.getTarget().getKind());
  }

  @Override
  public Outcome execute(ActionCommand c) throws Exception {
    String name = c.getTarget().getName();
    return switch (c.getKind()) {
      case SCALE -> {
        int replicas;
        try {
          replicas = Integer.parseInt(c.getParams().getOrDefault("replicas", "").trim());
        } catch (NumberFormatException e) {
          yield Outcome.rejected("SCALE needs a whole number in params.replicas");
        }
        int before = fleet.scale(name, replicas);
        Map<String, String> observed = new HashMap<>();
        observed.put("replicas.after", Integer.toString(replicas));
        if (before >= 0) {
          observed.put("replicas.before", Integer.toString(before));
        }
        yield Outcome.applied("scaled " + name + " to " + replicas, observed);
      }
      case RESTART, ROLLOUT_RESTART, DELETE_POD -> Outcome.applied(fleet.restart(name), Map.of());
      case FAILOVER -> Outcome.applied(fleet.failover(name), Map.of());
      default -> Outcome.rejected(c.getKind() + " is not something the local executor does");
    };
  }
}
