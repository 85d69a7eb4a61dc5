package io.autonomic.remediator.guardrail;

/**
 * One stage of the safety pipeline (in the manner of Alertmanager's notify stages): it lets a proposal
 * through, possibly adjusted, or stops it with a named reason that goes to {@code remediation.audit}.
 */
public interface Guardrail {
  /** The guardrail's name, one of {@link Reasons}. */
  String name();

  Verdict check(Proposal proposal, GuardContext context);
}
