package io.autonomic.remediator.core;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.remediator.guardrail.GuardContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the remediator remembers: incidents (ladder positions, pending approvals, verification) and
 * targets (cooldowns, rate counters). Every change marks its key dirty; the Kafka shell writes the dirty keys to
 * the compacted changelog in the same transaction as the commands and the input offsets, and restores from it
 * on start.
 */
public final class RemediatorState implements GuardContext.ActionHistory {
  public static final String INCIDENT = "incident/";
  public static final String TARGET = "target/";

  static final ObjectMapper JSON = new ObjectMapper()
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Map<String, IncidentRecord> incidents = new LinkedHashMap<>();
  private final Map<String, TargetRecord> targets = new LinkedHashMap<>();
  private final Map<String, String> incidentByCommand = new LinkedHashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();

  public IncidentRecord incident(String id) {
    return incidents.get(id);
  }

  public Collection<IncidentRecord> incidents() {
    return List.copyOf(incidents.values());
  }

  public IncidentRecord incidentOfCommand(String commandId) {
    String id = incidentByCommand.get(commandId);
    if (id == null) {
      int hash = commandId.lastIndexOf('#');
      id = hash > 0 ? commandId.substring(0, hash) : null;
    }
    return id == null ? null : incidents.get(id);
  }

  /** Records a change to the incident. */
  public void put(IncidentRecord r) {
    incidents.put(r.id, r);
    if (r.commandId != null) {
      incidentByCommand.put(r.commandId, r.id);
    }
    dirty.add(INCIDENT + r.id);
  }

  public void remove(IncidentRecord r) {
    incidents.remove(r.id);
    incidentByCommand.values().removeIf(r.id::equals);
    dirty.add(INCIDENT + r.id);
  }

  public TargetRecord target(String key) {
    return targets.get(key);
  }

  public void put(TargetRecord t) {
    targets.put(t.targetKey, t);
    dirty.add(TARGET + t.targetKey);
  }

  /** Records an action on a target now, forgetting action times older than {@code keep}. */
  public void recordAction(String targetKey, String incidentId, Instant now, java.time.Duration keep) {
    TargetRecord t = targets.computeIfAbsent(targetKey, k -> {
      TargetRecord n = new TargetRecord();
      n.targetKey = k;
      return n;
    });
    t.lastActionAt = now.toEpochMilli();
    t.lastIncidentId = incidentId;
    t.actionTimes.removeIf(at -> at < now.minus(keep).toEpochMilli());
    t.actionTimes.add(now.toEpochMilli());
    put(t);
  }

  @Override
  public Instant lastActionOn(String targetKey, String exceptIncidentId) {
    TargetRecord t = targets.get(targetKey);
    if (t == null || t.lastActionAt == 0 || exceptIncidentId.equals(t.lastIncidentId)) {
      return null;
    }
    return Instant.ofEpochMilli(t.lastActionAt);
  }

  @Override
  public List<Instant> actionsOn(String targetKey, Instant since) {
    TargetRecord t = targets.get(targetKey);
    List<Instant> out = new ArrayList<>();
    if (t != null) {
      t.actionTimes.stream().filter(at -> at >= since.toEpochMilli()).map(Instant::ofEpochMilli).forEach(out::add);
    }
    return out;
  }

  @Override
  public List<Instant> allActions(Instant since) {
    List<Instant> out = new ArrayList<>();
    for (TargetRecord t : targets.values()) {
      t.actionTimes.stream().filter(at -> at >= since.toEpochMilli()).map(Instant::ofEpochMilli).forEach(out::add);
    }
    return out;
  }

  /** The changed keys since the last call, with their JSON values (null: deleted), and forgets them. */
  public Map<String, byte[]> drainChanges() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String key : dirty) {
      Object value = key.startsWith(INCIDENT) ? incidents.get(key.substring(INCIDENT.length()))
          : targets.get(key.substring(TARGET.length()));
      out.put(key, value == null ? null : write(value));
    }
    dirty.clear();
    return out;
  }

  public boolean hasChanges() {
    return !dirty.isEmpty();
  }

  /** Applies one changelog record while restoring (null value: deleted). Unknown keys are ignored. */
  public void restore(String key, byte[] value) {
    try {
      if (key.startsWith(INCIDENT)) {
        String id = key.substring(INCIDENT.length());
        if (value == null) {
          IncidentRecord old = incidents.remove(id);
          if (old != null) {
            incidentByCommand.values().removeIf(id::equals);
          }
        } else {
          IncidentRecord r = JSON.readValue(value, IncidentRecord.class);
          incidents.put(id, r);
          if (r.commandId != null) {
            incidentByCommand.put(r.commandId, id);
          }
        }
      } else if (key.startsWith(TARGET)) {
        String k = key.substring(TARGET.length());
        if (value == null) {
          targets.remove(k);
        } else {
          targets.put(k, JSON.readValue(value, TargetRecord.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read state record " + key + ": "
          + new String(value, StandardCharsets.UTF_8), e);
    }
  }

  /** Forgets everything (before a restore). */
  public void clear() {
    incidents.clear();
    targets.clear();
    incidentByCommand.clear();
    dirty.clear();
  }

  private static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
