package io.autonomic.remediator.policy;

import java.util.List;

/** The policies and guardrail settings in force, loaded together from one directory. */
public record PolicySet(List<Policy> policies, GuardrailSettings guardrails, String fingerprint) {
  public static PolicySet empty() {
    return new PolicySet(List.of(), GuardrailSettings.defaults(), "");
  }

  public Policy byName(String name) {
    return policies.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }
}
