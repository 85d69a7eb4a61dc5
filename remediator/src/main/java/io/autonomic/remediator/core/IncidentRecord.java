package io.autonomic.remediator.core;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The remediator's memory of one incident: where it is on its policy's ladder and what it waits for. Stored as
 * JSON in the compacted changelog under {@code incident/<id>}; public fields keep the JSON mapping obvious.
 */
public final class IncidentRecord {
  /** Where an incident is in its life. */
  public enum Status {
    /** Matched, but the condition has not lasted long enough yet. */
    WAITING,
    /** A guardrail held the current step back; retried on new evidence and periodically. */
    HELD,
    /** The current step waits for a person's approval. */
    PENDING_APPROVAL,
    /** The current step's command was issued; waiting for the executor's result. */
    AWAITING_RESULT,
    /** The command was applied; watching the target for the verification window. */
    VERIFYING,
    /** The command was a dry run; nothing changed and nothing more is tried. */
    DRY_RUN,
    /** Fixed. */
    RESOLVED,
    /** Every step was tried; left to people. */
    EXHAUSTED
  }

  public String id;
  public String policy;
  public String entityId;
  public String entityKind;
  public Map<String, String> labels = new LinkedHashMap<>();
  public Set<String> signals = new LinkedHashSet<>();
  public String severity;
  public long onset;
  public long lastSeen;
  /** When the first anomaly was detected (processing time), for MTTD. */
  public long detectedAt;
  /** Latest feature evidence: name → [observed, expected or NaN]. */
  public Map<String, double[]> features = new LinkedHashMap<>();
  public Set<String> anomalyIds = new LinkedHashSet<>();
  public boolean fromIncidentsTopic;
  public long revision = -1;

  public Status status = Status.WAITING;
  public int step;
  public String commandId;
  public String targetKey;
  public long issuedAt;
  public long resultDeadline;
  public long appliedAt;
  public long verifyUntil;
  public boolean relapsed;
  public long approvalDeadline;
  /** The command held for approval, as Avro JSON. */
  public String pendingCommand;
  public String lastReason;
  public long nextAttemptAt;
  public long resolvedAt;
  public long mttrMillis = -1;
  /** When the last evidence arrived (processing time), to notice a quiet incident. */
  public long lastArrival;
  /** Resolved as covered: the sibling incident whose command already acted on the target, else null. */
  public String coveredBy;
  /** Resolved as covered: the sibling's command. */
  public String coveredCommand;
  /** Resolved as covered: the end of the cooldown of the sibling's action (processing time). */
  public long coveredUntil;
}
