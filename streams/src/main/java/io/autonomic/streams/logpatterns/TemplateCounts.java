package io.autonomic.streams.logpatterns;

import java.util.TreeMap;

/** Messages per template of one entity in one window (aggregate state, JSON). */
public final class TemplateCounts {
  public TreeMap<String, Long> counts = new TreeMap<>();
  public String entityKind;

  TemplateCounts add(MinedLog log) {
    counts.merge(log.templateId(), 1L, Long::sum);
    if (log.entityKind() != null) {
      entityKind = log.entityKind();
    }
    return this;
  }
}
