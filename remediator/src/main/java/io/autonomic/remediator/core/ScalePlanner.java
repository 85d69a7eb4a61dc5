package io.autonomic.remediator.core;

import io.autonomic.remediator.policy.Observation;
import io.autonomic.remediator.policy.Policy;
import java.util.Locale;

/**
 * How many replicas a SCALE step asks for: a percentage more than now, what the load needs at the per-replica
 * capacity, or (predictive) what the seasonal baseline's forecast needs, scaling out ahead of the peak.
 * The guardrails then clamp the answer to the replica bounds and the maximum step.
 */
public final class ScalePlanner {
  private ScalePlanner() {}

  /**
   * @param current     replicas now, or -1 when unknown
   * @param replicas    replicas to ask for, or -1 when no scale-out is needed
   * @param explanation why, in words
   */
  public record Plan(int current, int replicas, String explanation) {}

  /**
   * @param lastKnown replicas an executor last reported for the target, or -1
   */
  public static Plan plan(Policy.Step step, Observation obs, int lastKnown) {
    int current = currentReplicas(obs, lastKnown);
    String explicit = step.params().get("replicas");
    if (explicit != null && step.scaleOutPercent() == null && step.capacity() == null) {
      return new Plan(current, parse(explicit), "replicas " + explicit + " as the policy says");
    }
    int base = current < 0 ? 1 : current;
    String known = current < 0 ? " (current replicas unknown, assuming 1)" : "";
    int wanted;
    String why;
    if (step.capacity() != null) {
      Policy.Capacity cap = step.capacity();
      Observation.FeatureValue load = obs.features().get(cap.feature());
      if (load == null) {
        return new Plan(current, -1, "load feature " + cap.feature() + " is not in the evidence");
      }
      int needNow = (int) Math.ceil(load.observed() / cap.perReplica());
      wanted = needNow;
      why = String.format(Locale.ROOT, "load %s=%.1f needs %d replicas at %.1f per replica, %d run%s",
          cap.feature(), load.observed(), needNow, cap.perReplica(), base, known);
      if (step.predictive() && load.expected() != null && load.expected() > base * cap.perReplica()) {
        int needForecast = (int) Math.ceil(load.expected() / cap.perReplica());
        if (needForecast > wanted) {
          wanted = needForecast;
          why = String.format(Locale.ROOT, "predictive: the seasonal baseline forecasts %s=%.1f, above the "
              + "capacity %.1f of %d replicas; scaling out to %d ahead of the peak (load now %.1f)",
              cap.feature(), load.expected(), base * cap.perReplica(), base, needForecast, load.observed());
        }
      }
      if (wanted <= base) {
        return new Plan(current, -1, why);
      }
    } else if (step.scaleOutPercent() != null) {
      int add = Math.max(1, (int) Math.ceil(base * step.scaleOutPercent() / 100.0));
      wanted = base + add;
      why = "scale out by " + step.scaleOutPercent() + "%: " + base + " -> " + wanted + known;
    } else {
      return new Plan(current, -1, "no way to compute replicas");
    }
    if (step.maxReplicas() != null && wanted > step.maxReplicas()) {
      wanted = step.maxReplicas();
      why += " (max " + step.maxReplicas() + ")";
      if (wanted <= base) {
        return new Plan(current, -1, why + ": already at the step's maximum");
      }
    }
    return new Plan(current < 0 ? base : current, wanted, why);
  }

  private static int currentReplicas(Observation obs, int lastKnown) {
    String label = obs.labels().get("replicas");
    if (label != null) {
      try {
        return Integer.parseInt(label.trim());
      } catch (NumberFormatException ignored) {
        // not a number: fall through to what the executors reported
      }
    }
    if (lastKnown >= 0) {
      return lastKnown;
    }
    Observation.FeatureValue f = obs.features().get("replicas");
    return f == null ? -1 : (int) Math.round(f.observed());
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
