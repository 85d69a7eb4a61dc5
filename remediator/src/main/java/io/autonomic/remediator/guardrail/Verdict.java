package io.autonomic.remediator.guardrail;

import io.autonomic.avro.AuditDecision;

/** What a guardrail says about a proposal: go on (possibly with an adjusted proposal), or stop and why. */
public sealed interface Verdict {
  /** Go on with {@code proposal} (the same one, or adjusted: fewer replicas, dry run, approval needed). */
  record Allow(Proposal proposal) implements Verdict {}

  /**
   * Stop here.
   *
   * @param decision  SUPPRESSED (temporary: cooldown, rate, maintenance, silence) or BLOCKED (policy: kill
   *                  switch, protected target, namespace not allowed)
   * @param guardrail the guardrail's name, one of {@link Reasons}
   * @param reason    the reason in words, for the audit
   */
  record Deny(AuditDecision decision, String guardrail, String reason) implements Verdict {}

  static Verdict allow(Proposal p) {
    return new Allow(p);
  }

  static Verdict suppress(String guardrail, String reason) {
    return new Deny(AuditDecision.SUPPRESSED, guardrail, reason);
  }

  static Verdict block(String guardrail, String reason) {
    return new Deny(AuditDecision.BLOCKED, guardrail, reason);
  }
}
