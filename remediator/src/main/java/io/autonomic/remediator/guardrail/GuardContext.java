package io.autonomic.remediator.guardrail;

import io.autonomic.remediator.policy.GuardrailSettings;
import java.time.Instant;
import java.util.List;

/**
 * What the guardrails may look at besides the proposal.
 *
 * @param now            the current time
 * @param settings       the guardrail settings in force
 * @param history        the actions taken so far
 * @param killSwitch     the runtime kill switch (config or HTTP), on top of the settings' one
 * @param globalDryRun   the global dry-run switch
 */
public record GuardContext(Instant now, GuardrailSettings settings, ActionHistory history, boolean killSwitch,
    boolean globalDryRun) {

  /** The remediator's memory of past actions, for cooldowns and rate limits. */
  public interface ActionHistory {
    /** When the target was last acted on by an incident other than {@code incidentId}, or null. */
    Instant lastActionOn(String targetKey, String exceptIncidentId);

    /** Actions on the target since {@code since}. */
    List<Instant> actionsOn(String targetKey, Instant since);

    /** All actions since {@code since}. */
    List<Instant> allActions(Instant since);
  }
}
