package io.autonomic.remediator.guardrail;

/** Names of the guardrails, as written to {@code AuditRecord.guardrail} and to the decision metrics. */
public final class Reasons {
  private Reasons() {}

  public static final String KILL_SWITCH = "kill-switch";
  public static final String NAMESPACE_NOT_ALLOWED = "namespace-allow-list";
  public static final String PROTECTED_TARGET = "protected-target";
  public static final String MAINTENANCE_WINDOW = "maintenance-window";
  public static final String SILENCED = "silence";
  public static final String COOLDOWN = "cooldown";
  public static final String RATE_LIMIT_TARGET = "rate-limit-target";
  public static final String RATE_LIMIT_GLOBAL = "rate-limit-global";
  public static final String REPLICA_BOUNDS = "replica-bounds";
  public static final String APPROVAL = "approval";
  public static final String DRY_RUN = "dry-run";
  /** Not a guardrail stage: the policy's {@code for} duration has not passed yet. */
  public static final String DURATION = "duration";
  /** Not a guardrail stage: the step's target or parameters could not be built from the evidence. */
  public static final String TEMPLATE = "template";
  /** Not a guardrail stage: a sibling incident of the same policy already took the same action on the target. */
  public static final String COVERED = "covered";
}
