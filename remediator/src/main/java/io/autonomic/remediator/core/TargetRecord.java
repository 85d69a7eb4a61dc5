package io.autonomic.remediator.core;

import java.util.ArrayList;
import java.util.List;

/** Actions taken on one target, for cooldowns and rate limits. Stored under {@code target/<kind/ns/name>}. */
public final class TargetRecord {
  public String targetKey;
  public long lastActionAt;
  public String lastIncidentId;
  /** Action times within the longest rate period, oldest first. */
  public List<Long> actionTimes = new ArrayList<>();
  /** Replicas last seen by an executor (replicas.after), or -1. */
  public int lastReplicas = -1;
}
