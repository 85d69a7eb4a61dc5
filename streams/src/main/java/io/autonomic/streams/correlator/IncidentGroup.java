package io.autonomic.streams.correlator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * State of one group of related anomalies: pending (collecting, not yet an incident) or an open incident.
 * Kept in the correlator's state store as JSON (public fields, read by Jackson); times are event time in
 * epoch milliseconds.
 */
public final class IncidentGroup {
  /** Group key, e.g. {@code service:shop/checkout} or {@code entity:host-1}. */
  public String groupKey;
  /** Id of the incident once it is open; null while the group is pending. */
  public String incidentId;
  /** Event id of the group's first anomaly; with the group key it seeds the incident id. */
  public String firstEventId;
  /** Revision of the last emitted change; -1 before OPEN. */
  public long revision = -1;
  /** "Now" when the group's first anomaly arrived: group_wait counts from here. */
  public long startedAt;
  /** Start of the earliest anomalous window. */
  public long firstAnomalyAt = Long.MAX_VALUE;
  /** End of the latest anomalous window: the quiet period counts from here. */
  public long lastAnomalyAt = Long.MIN_VALUE;
  /** "Now" of the last emitted change. */
  public long lastNotifiedAt = Long.MIN_VALUE;
  /** Whether something worth an UPDATED (new entity, higher severity) happened since the last emission. */
  public boolean changed;
  /** Anomalies folded in, duplicates excluded. */
  public int anomalyCount;
  /** Ids of the most recent anomalies, most recent last. */
  public List<String> anomalyIds = new ArrayList<>();
  /** Ids remembered to drop repeats of the same anomaly. */
  public List<String> seenEventIds = new ArrayList<>();
  /** Indices (windowStart / window) of the most recent anomalous windows, for the m-of-n rule. */
  public TreeSet<Long> windows = new TreeSet<>();
  /** Evidence per entity, in order of arrival. */
  public Map<String, EntityEvidence> entities = new LinkedHashMap<>();
  /** Tags shared by every anomaly of the group; null before the first one. */
  public Map<String, String> labels;
  /** Highest anomaly severity (Severity symbol). */
  public String severity;
  /** Severity of the last emitted change, to notice escalations. */
  public String emittedSeverity;

  public boolean isOpen() {
    return incidentId != null;
  }

  /** What the group knows about one entity. */
  public static final class EntityEvidence {
    /** Start of the entity's earliest anomalous window. */
    public long firstAt = Long.MAX_VALUE;
    /** End of its latest anomalous window. */
    public long lastAt = Long.MIN_VALUE;
    public double maxScore;
    public int anomalies;
    /** Metric of its highest-scored anomaly; null for entity-level anomalies. */
    public String metric;
    /** Feature that contributed most across its anomalies, and how much. */
    public String topFeature;
    public double topContribution;
  }
}
