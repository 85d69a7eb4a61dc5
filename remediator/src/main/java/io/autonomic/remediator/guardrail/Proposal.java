package io.autonomic.remediator.guardrail;

import io.autonomic.avro.ActionKind;
import io.autonomic.remediator.policy.Observation;
import io.autonomic.remediator.policy.Policy;
import java.util.Map;

/**
 * An action the remediator would like to take, before the guardrails have had their say.
 *
 * @param incidentId      incident it remediates
 * @param commandId       deterministic command id (incident, step)
 * @param policy          policy that proposes it
 * @param step            ladder step
 * @param kind            action kind
 * @param targetKind      target kind (Deployment, process, webhook ...)
 * @param namespace       target namespace, or null
 * @param name            target name
 * @param params          action parameters
 * @param currentReplicas SCALE: replicas before the action, or -1 when unknown
 * @param reason          why, in words
 * @param escalation      true when this is a later step of an incident's ladder (the incident's own cooldown
 *                        does not apply)
 * @param observation     the evidence
 * @param dryRun          whether to issue it as a dry run
 * @param needsApproval   whether a person must approve it first
 */
public record Proposal(String incidentId, String commandId, Policy policy, Policy.Step step, ActionKind kind,
    String targetKind, String namespace, String name, Map<String, String> params, int currentReplicas,
    String reason, boolean escalation, Observation observation, boolean dryRun, boolean needsApproval) {

  /** {@code kind/namespace/name}; {@code -} stands for no namespace. Also the key on the actions topic. */
  public String targetKey() {
    return targetKey(targetKind, namespace, name);
  }

  public static String targetKey(String kind, String namespace, String name) {
    return kind + "/" + (namespace == null ? "-" : namespace) + "/" + name;
  }

  public Proposal withParams(Map<String, String> p, String newReason) {
    return new Proposal(incidentId, commandId, policy, step, kind, targetKind, namespace, name, p, currentReplicas,
        newReason, escalation, observation, dryRun, needsApproval);
  }

  public Proposal withDryRun(String newReason) {
    return new Proposal(incidentId, commandId, policy, step, kind, targetKind, namespace, name, params,
        currentReplicas, newReason, escalation, observation, true, needsApproval);
  }

  public Proposal withApproval() {
    return new Proposal(incidentId, commandId, policy, step, kind, targetKind, namespace, name, params,
        currentReplicas, reason, escalation, observation, dryRun, true);
  }
}
