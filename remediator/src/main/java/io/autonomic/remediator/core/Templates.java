package io.autonomic.remediator.core;

import io.autonomic.remediator.policy.Observation;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the {@code ${...}} references of policy templates from an incident: {@code ${entity}},
 * {@code ${incident}}, {@code ${policy}}, {@code ${severity}}, {@code ${label:KEY}}, {@code ${feature:NAME}}
 * (observed value) and {@code ${expected:NAME}} (the model's expectation). Hand-written because it is a dozen
 * lines and an expression library would let policies run arbitrary code.
 */
final class Templates {
  private static final Pattern REF = Pattern.compile("\\$\\{([a-z]+)(?::([^}]+))?}");

  private Templates() {}

  static String expand(String template, IncidentRecord rec, Observation obs) {
    Matcher m = REF.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String arg = m.group(2);
      String value = switch (kind) {
        case "entity" -> obs.entityId();
        case "incident" -> rec.id;
        case "policy" -> rec.policy;
        case "severity" -> obs.severity().name();
        case "label" -> {
          String v = obs.labels().get(arg);
          if (v == null) {
            throw new IllegalArgumentException("label '" + arg + "' is not set on " + obs.entityId()
                + " (labels: " + obs.labels().keySet() + ")");
          }
          yield v;
        }
        case "feature", "expected" -> {
          Observation.FeatureValue f = obs.features().get(arg);
          Double v = f == null ? null : kind.equals("feature") ? f.observed() : f.expected();
          if (v == null) {
            throw new IllegalArgumentException(kind + " '" + arg + "' is not known for " + obs.entityId());
          }
          yield v == Math.rint(v) ? Long.toString(v.longValue()) : Double.toString(v);
        }
        default -> throw new IllegalArgumentException("unknown reference ${" + kind + "}");
      };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
