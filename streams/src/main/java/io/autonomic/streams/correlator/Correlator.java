package io.autonomic.streams.correlator;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.RootCauseCandidate;
import io.autonomic.avro.Severity;
import io.autonomic.streams.correlator.IncidentGroup.EntityEvidence;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The correlator's rules, free of Kafka: which group an anomaly belongs to, how a group folds anomalies in, and
 * when it opens, updates or resolves an incident. The Streams processor only loads and stores groups and calls
 * {@link #add} and {@link #advance} with "now" (event time).
 *
 * <p>In the manner of Alertmanager: a group waits {@code groupWait} after its first anomaly before it opens, so
 * related anomalies arrive in the first notification; an open incident changes at most once per
 * {@code groupInterval}, and only for news (a new entity, a higher severity), not for repeats. Against flapping,
 * a group opens only when m of the last n windows were anomalous, and it resolves after a quiet period.
 */
public final class Correlator {
  /** Anomaly ids kept per incident record (the count keeps the total). */
  static final int MAX_ANOMALY_IDS = 50;
  /** Anomaly ids remembered per group to drop repeats. */
  static final int DEDUP_MEMORY = 500;

  private final CorrelatorSettings settings;

  public Correlator(CorrelatorSettings settings) {
    this.settings = settings;
  }

  public CorrelatorSettings settings() {
    return settings;
  }

  /** What {@link #add} did with an anomaly. */
  public enum Folded {
    /** Folded into the group. */
    ADDED,
    /** The same anomaly (same event id) was already in the group: ignored. */
    DUPLICATE
  }

  /**
   * What {@link #advance} decided.
   *
   * @param emitted    the incident change to publish, or null
   * @param finished   whether the group is over (resolved, or dropped while pending) and its state can go
   * @param suppressed anomalies dropped with a pending group that never met the m-of-n rule
   */
  public record Step(Incident emitted, boolean finished, int suppressed) {
    static final Step NOTHING = new Step(null, false, 0);
  }

  /**
   * The group of an anomaly: the first {@code groupBy} tag present (qualified by the namespace tag, if any), so
   * a service's pods and hosts share one incident; otherwise the entity alone.
   */
  public String groupKey(AnomalyEvent anomaly) {
    Map<String, String> tags = anomaly.getTags();
    for (String label : settings.groupBy()) {
      String value = tags.get(label);
      if (value != null && !value.isBlank()) {
        String namespace = tags.get("namespace");
        return label + ":" + (namespace == null || label.equals("namespace") ? "" : namespace + "/") + value;
      }
    }
    return "entity:" + anomaly.getEntityId();
  }

  /** A new, empty group. */
  public IncidentGroup newGroup(String groupKey, long now) {
    IncidentGroup group = new IncidentGroup();
    group.groupKey = groupKey;
    group.startedAt = now;
    return group;
  }

  /** Folds an anomaly into its group. */
  public Folded add(IncidentGroup group, AnomalyEvent anomaly) {
    if (group.seenEventIds.contains(anomaly.getEventId())) {
      return Folded.DUPLICATE;
    }
    if (group.firstEventId == null) {
      group.firstEventId = anomaly.getEventId();
    }
    remember(group.seenEventIds, anomaly.getEventId(), DEDUP_MEMORY);
    remember(group.anomalyIds, anomaly.getEventId(), MAX_ANOMALY_IDS);
    group.anomalyCount++;
    long start = anomaly.getWindowStart().toEpochMilli();
    long end = anomaly.getWindowEnd().toEpochMilli();
    group.firstAnomalyAt = Math.min(group.firstAnomalyAt, start);
    group.lastAnomalyAt = Math.max(group.lastAnomalyAt, end);

    group.windows.add(Math.floorDiv(start, settings.window().toMillis()));
    while (group.windows.size() > settings.ofWindows()) {
      group.windows.pollFirst();
    }

    EntityEvidence evidence = group.entities.get(anomaly.getEntityId());
    if (evidence == null) {
      evidence = new EntityEvidence();
      group.entities.put(anomaly.getEntityId(), evidence);
      group.changed = true;
    }
    evidence.anomalies++;
    evidence.firstAt = Math.min(evidence.firstAt, start);
    evidence.lastAt = Math.max(evidence.lastAt, end);
    if (anomaly.getScore() >= evidence.maxScore) {
      evidence.maxScore = anomaly.getScore();
      if (anomaly.getMetric() != null) {
        evidence.metric = anomaly.getMetric();
      }
    }
    for (FeatureContribution c : anomaly.getContributions()) {
      if (evidence.topFeature == null || c.getContribution() > evidence.topContribution) {
        evidence.topFeature = c.getFeature();
        evidence.topContribution = c.getContribution();
      }
    }

    if (group.labels == null) {
      group.labels = new LinkedHashMap<>(anomaly.getTags());
    } else {
      group.labels.entrySet().removeIf(e -> !e.getValue().equals(anomaly.getTags().get(e.getKey())));
    }
    if (group.severity == null || anomaly.getSeverity().ordinal() > Severity.valueOf(group.severity).ordinal()) {
      group.severity = anomaly.getSeverity().name();
    }
    if (group.isOpen() && severity(group).ordinal() > Severity.valueOf(group.emittedSeverity).ordinal()) {
      group.changed = true;
    }
    return Folded.ADDED;
  }

  /** Moves the group's lifecycle on to {@code now} (event time): open, update, resolve or drop it. */
  public Step advance(IncidentGroup group, long now) {
    long quiet = now - group.lastAnomalyAt;
    boolean quietLongEnough = group.lastAnomalyAt != Long.MIN_VALUE && quiet >= settings.resolveAfter().toMillis();
    if (!group.isOpen()) {
      if (meetsOpenRule(group) && now >= group.startedAt + settings.groupWait().toMillis()) {
        group.incidentId = incidentId(group);
        return new Step(emit(group, IncidentState.OPEN, now), false, 0);
      }
      if (quietLongEnough) {
        return new Step(null, true, group.anomalyCount);
      }
      return Step.NOTHING;
    }
    if (quietLongEnough) {
      return new Step(emit(group, IncidentState.RESOLVED, now), true, 0);
    }
    if (group.changed && now >= group.lastNotifiedAt + settings.groupInterval().toMillis()) {
      return new Step(emit(group, IncidentState.UPDATED, now), false, 0);
    }
    return Step.NOTHING;
  }

  /** m of the last n windows anomalous, counted back from the latest anomalous window. */
  boolean meetsOpenRule(IncidentGroup group) {
    if (group.windows.isEmpty()) {
      return false;
    }
    long latest = group.windows.last();
    long recent = group.windows.tailSet(latest - settings.ofWindows() + 1).size();
    return recent >= settings.openWindows();
  }

  private Incident emit(IncidentGroup group, IncidentState state, long now) {
    group.revision++;
    group.lastNotifiedAt = now;
    group.changed = false;
    Severity severity = severity(group);
    group.emittedSeverity = severity.name();
    List<String> entities = new ArrayList<>(group.entities.keySet());
    entities.sort(Comparator.comparingDouble((String e) -> -group.entities.get(e).maxScore)
        .thenComparing(Comparator.naturalOrder()));
    RootCauseCandidate rootCause = rootCause(group);
    return Incident.newBuilder()
        .setIncidentId(group.incidentId)
        .setState(state)
        .setRevision(group.revision)
        .setSeverity(severity)
        .setSummary(summary(group, rootCause))
        .setEntities(entities)
        .setRootCause(rootCause)
        .setOpenedAt(Instant.ofEpochMilli(group.firstAnomalyAt))
        .setUpdatedAt(Instant.ofEpochMilli(now))
        .setResolvedAt(state == IncidentState.RESOLVED ? Instant.ofEpochMilli(now) : null)
        .setAnomalyIds(new ArrayList<>(group.anomalyIds))
        .setAnomalyCount(group.anomalyCount)
        .setLabels(group.labels == null ? Map.of() : new LinkedHashMap<>(group.labels))
        .build();
  }

  /** The worst anomaly's severity, one level higher when the incident spans many entities (blast radius). */
  Severity severity(IncidentGroup group) {
    Severity worst = group.severity == null ? Severity.INFO : Severity.valueOf(group.severity);
    if (group.entities.size() >= settings.escalateEntities() && worst.ordinal() < Severity.CRITICAL.ordinal()) {
      return Severity.values()[worst.ordinal() + 1];
    }
    return worst;
  }

  /**
   * The earliest anomalous entity (ties: the higher score), with the feature that contributed most to its
   * anomalies. Confidence is higher when it was strictly first and when that feature dominated its scores.
   */
  RootCauseCandidate rootCause(IncidentGroup group) {
    if (group.entities.isEmpty()) {
      return null;
    }
    List<Map.Entry<String, EntityEvidence>> ranked = new ArrayList<>(group.entities.entrySet());
    ranked.sort(Comparator.<Map.Entry<String, EntityEvidence>>comparingLong(e -> e.getValue().firstAt)
        .thenComparingDouble(e -> -e.getValue().maxScore)
        .thenComparing(Map.Entry::getKey));
    Map.Entry<String, EntityEvidence> first = ranked.get(0);
    EntityEvidence ev = first.getValue();
    StringBuilder why = new StringBuilder();
    double base;
    if (ranked.size() == 1) {
      base = 0.9;
      why.append("only anomalous entity");
    } else {
      long lead = ranked.get(1).getValue().firstAt - ev.firstAt;
      base = lead > 0 ? 0.7 : 0.4;
      why.append(lead > 0
          ? "first anomalous of " + ranked.size() + " entities, " + lead / 1000 + "s before the next"
          : "anomalous at the same time as " + (ranked.size() - 1) + " other entities; highest score");
    }
    String metric = ev.metric;
    if (ev.topFeature != null) {
      why.append("; top feature ").append(ev.topFeature)
          .append(String.format(java.util.Locale.ROOT, " (contribution %.2f)", ev.topContribution));
      if (metric == null) {
        int colon = ev.topFeature.indexOf(':');
        metric = colon > 0 ? ev.topFeature.substring(0, colon) : ev.topFeature;
      }
    }
    double weight = ev.topFeature == null ? 0.75 : 0.5 + 0.5 * Math.min(1.0, ev.topContribution);
    double confidence = Math.round(base * weight * 1000.0) / 1000.0;
    return RootCauseCandidate.newBuilder().setEntityId(first.getKey()).setMetric(metric)
        .setConfidence(confidence).setExplanation(why.toString()).build();
  }

  private static String summary(IncidentGroup group, RootCauseCandidate rootCause) {
    String what = rootCause != null && rootCause.getMetric() != null ? rootCause.getMetric() : "behaviour";
    String scope = group.groupKey.replaceFirst(":", " ");
    int n = group.entities.size();
    return what + " anomalous on " + scope + " (" + n + (n == 1 ? " entity)" : " entities)");
  }

  /** Deterministic: the same group and first anomaly give the same id after a replay. */
  static String incidentId(IncidentGroup group) {
    String seed = group.groupKey + "|" + group.firstEventId;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return "inc-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static void remember(List<String> list, String id, int max) {
    list.add(id);
    if (list.size() > max) {
      list.remove(0);
    }
  }
}
