package io.autonomic.remediator.core;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.ActionTarget;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.AuditDecision;
import io.autonomic.avro.AuditRecord;
import io.autonomic.avro.FeatureContribution;
import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.avro.Severity;
import io.autonomic.remediator.core.IncidentRecord.Status;
import io.autonomic.remediator.guardrail.GuardContext;
import io.autonomic.remediator.guardrail.GuardrailChain;
import io.autonomic.remediator.guardrail.Proposal;
import io.autonomic.remediator.guardrail.Reasons;
import io.autonomic.remediator.guardrail.Verdict;
import io.autonomic.remediator.policy.Observation;
import io.autonomic.remediator.policy.Policy;
import io.autonomic.remediator.policy.PolicySet;
import io.autonomic.remediator.policy.PolicyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remediator's core, plain Java: anomalies or incidents in; commands and audit records out, through the
 * guardrails; results and approvals in, to verify, escalate or resolve. It is single-threaded: the Kafka shell
 * calls it from its poll loop, and everything it changes is in {@link RemediatorState}.
 */
public final class Remediator {
  private static final Logger LOG = LoggerFactory.getLogger(Remediator.class);
  private static final int MAX_ANOMALY_IDS = 20;
  public static final String ACTOR = "remediator";

  /**
   * @param globalDryRun   every command is a dry run
   * @param commandTtl     how long an issued command stays valid for executors
   * @param retryInterval  how often a held step is tried again while its incident is active
   * @param resultGrace    how long after a command's expiry to wait for its result before escalating
   */
  public record Settings(boolean globalDryRun, Duration commandTtl, Duration retryInterval, Duration resultGrace) {
    public static Settings defaults() {
      return new Settings(false, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(1));
    }
  }

  private final PolicyStore policies;
  private final GuardrailChain guardrails;
  private final RemediatorState state;
  private final CommandSink commands;
  private final AuditSink audit;
  private final Clock clock;
  private final RemediatorMetrics metrics;
  private final Settings settings;
  private final AtomicBoolean killSwitch = new AtomicBoolean();

  public Remediator(PolicyStore policies, GuardrailChain guardrails, RemediatorState state, CommandSink commands,
      AuditSink audit, Clock clock, RemediatorMetrics metrics, Settings settings) {
    this.policies = policies;
    this.guardrails = guardrails;
    this.state = state;
    this.commands = commands;
    this.audit = audit;
    this.clock = clock;
    this.metrics = metrics;
    this.settings = settings;
  }

  /** The runtime kill switch (config and HTTP), on top of {@code guardrails.killSwitch}. */
  public void setKillSwitch(boolean on) {
    killSwitch.set(on);
  }

  public boolean killSwitch() {
    return killSwitch.get();
  }

  public RemediatorState state() {
    return state;
  }

  // ---------------------------------------------------------------------------------------------- inputs

  /** A raw anomaly: folded into the open incident of its (entity, policy), or opens one. */
  public void onAnomaly(AnomalyEvent a) {
    metrics.input("anomaly");
    Map<String, String> labels = new LinkedHashMap<>(a.getTags());
    Set<String> signals = new LinkedHashSet<>();
    if (a.getMetric() != null) {
      signals.add(a.getMetric());
    }
    Map<String, Observation.FeatureValue> features = new LinkedHashMap<>();
    for (FeatureContribution c : a.getContributions()) {
      signals.add(c.getFeature());
      features.put(c.getFeature(), new Observation.FeatureValue(c.getObserved(), c.getExpected()));
    }
    Observation obs = new Observation(a.getEntityId(), Observation.kindOf(a.getEntityId(), labels), labels, signals,
        a.getSeverity(), a.getWindowStart(), a.getWindowEnd(), features);
    PolicySet set = policies.current();
    // The policy is chosen for each anomaly by the ordinary rule (the first policy that matches it); the anomaly
    // then joins the open incident of its (entity, policy), if any. Joining any open incident of the entity
    // instead would let an anomaly take another policy's ladder (an absent series on a replica whose
    // error-rate incident was open issued that incident's FAILOVER instead of replica-silent's RESTART).
    Policy policy = set.policies().stream().filter(p -> p.match().matches(obs)).findFirst().orElse(null);
    if (policy == null) {
      metrics.unmatched();
      return;
    }
    IncidentRecord rec = openIncident(a.getEntityId(), policy, a.getWindowStart());
    if (rec == null) {
      String id = a.getEntityId() + "~" + policy.name() + "~" + a.getWindowStart().toEpochMilli();
      if (state.incident(id) != null) {
        return; // a late anomaly of an incident already resolved: reopening it would re-issue its command ids
      }
      rec = new IncidentRecord();
      rec.id = id;
      rec.policy = policy.name();
      rec.entityId = a.getEntityId();
      rec.entityKind = obs.entityKind();
      rec.onset = a.getWindowStart().toEpochMilli();
      rec.lastSeen = a.getWindowEnd().toEpochMilli();
      rec.detectedAt = a.getDetectedAt().toEpochMilli();
      rec.severity = a.getSeverity().name();
      rec.nextAttemptAt = 0;
      LOG.info("incident opened id={} policy={} entity={}", rec.id, policy.name(), rec.entityId);
    } else if (rec.anomalyIds.contains(a.getEventId())) {
      return; // the same anomaly again (a re-scored window): nothing new
    }
    rec.lastSeen = Math.max(rec.lastSeen, a.getWindowEnd().toEpochMilli());
    rec.lastArrival = now().toEpochMilli();
    if (a.getSeverity().ordinal() > Severity.valueOf(rec.severity).ordinal()) {
      rec.severity = a.getSeverity().name();
    }
    rec.labels.putAll(labels);
    rec.signals.addAll(signals);
    final IncidentRecord target = rec;
    features.forEach((k, v) -> target.features.put(k, new double[] {v.observed(),
        v.expected() == null ? Double.NaN : v.expected()}));
    rec.anomalyIds.add(a.getEventId());
    while (rec.anomalyIds.size() > MAX_ANOMALY_IDS) {
      rec.anomalyIds.remove(rec.anomalyIds.iterator().next());
    }
    if (rec.status == Status.VERIFYING && a.getWindowStart().toEpochMilli() >= rec.appliedAt) {
      rec.relapsed = true;
    }
    state.put(rec);
    evaluate(rec, policy, true);
  }

  private IncidentRecord openIncident(String entityId, Policy p, Instant windowStart) {
    for (IncidentRecord r : state.incidents()) {
      if (!r.fromIncidentsTopic && r.entityId.equals(entityId) && r.policy.equals(p.name())
          && (r.status != Status.RESOLVED || coverActive(r))
          && windowStart.toEpochMilli() <= r.lastSeen + p.groupWindow().toMillis()) {
        return r;
      }
    }
    return null;
  }

  /**
   * Whether an incident resolved as covered by a sibling's command still absorbs its entity's anomalies: until
   * the cooldown of the sibling's action ends, and while the sibling still waits for that command's result or
   * verifies it. Afterwards a new anomaly opens a new incident, which the guardrails judge afresh.
   */
  private boolean coverActive(IncidentRecord r) {
    if (r.coveredBy == null) {
      return false;
    }
    if (now().toEpochMilli() < r.coveredUntil) {
      return true;
    }
    IncidentRecord sibling = state.incident(r.coveredBy);
    return sibling != null && r.coveredCommand.equals(sibling.commandId)
        && (sibling.status == Status.AWAITING_RESULT || sibling.status == Status.VERIFYING);
  }

  /** An incident change from the correlator; the incident's id is the incident key. */
  public void onIncident(Incident inc) {
    metrics.input("incident");
    IncidentRecord rec = state.incident(inc.getIncidentId());
    if (rec != null && inc.getRevision() <= rec.revision) {
      return; // an old or repeated revision
    }
    PolicySet set = policies.current();
    if (inc.getState() == IncidentState.RESOLVED) {
      if (rec != null && rec.status != Status.RESOLVED) {
        rec.revision = inc.getRevision();
        Policy p = set.byName(rec.policy);
        resolve(rec, p, "the correlator resolved the incident");
      }
      return;
    }
    String entity = inc.getRootCause() != null ? inc.getRootCause().getEntityId()
        : inc.getEntities().isEmpty() ? inc.getIncidentId() : inc.getEntities().get(0);
    Map<String, String> labels = new LinkedHashMap<>(inc.getLabels());
    Set<String> signals = new LinkedHashSet<>();
    if (inc.getRootCause() != null && inc.getRootCause().getMetric() != null) {
      signals.add(inc.getRootCause().getMetric());
    }
    if (labels.containsKey("metric")) {
      signals.add(labels.get("metric"));
    }
    Policy policy;
    if (rec == null) {
      Observation obs = new Observation(entity, Observation.kindOf(entity, labels), labels, signals,
          inc.getSeverity(), inc.getOpenedAt(), inc.getUpdatedAt(), Map.of());
      policy = set.policies().stream().filter(p -> p.match().matches(obs)).findFirst().orElse(null);
      if (policy == null) {
        metrics.unmatched();
        return;
      }
      rec = new IncidentRecord();
      rec.id = inc.getIncidentId();
      rec.policy = policy.name();
      rec.entityId = entity;
      rec.entityKind = obs.entityKind();
      rec.fromIncidentsTopic = true;
      rec.onset = inc.getOpenedAt().toEpochMilli();
      rec.detectedAt = now().toEpochMilli();
      rec.severity = inc.getSeverity().name();
    } else {
      policy = set.byName(rec.policy);
      if (policy == null) {
        return;
      }
    }
    rec.revision = inc.getRevision();
    rec.lastSeen = Math.max(rec.lastSeen, inc.getUpdatedAt().toEpochMilli());
    rec.lastArrival = now().toEpochMilli();
    if (inc.getSeverity().ordinal() > Severity.valueOf(rec.severity).ordinal()) {
      rec.severity = inc.getSeverity().name();
    }
    rec.labels.putAll(labels);
    rec.signals.addAll(signals);
    rec.anomalyIds.addAll(inc.getAnomalyIds());
    while (rec.anomalyIds.size() > MAX_ANOMALY_IDS) {
      rec.anomalyIds.remove(rec.anomalyIds.iterator().next());
    }
    if (rec.status == Status.VERIFYING && inc.getUpdatedAt().toEpochMilli() >= rec.appliedAt) {
      rec.relapsed = true;
    }
    state.put(rec);
    evaluate(rec, policy, true);
  }

  /** An executor's result: joined to its incident by command id; verifies or escalates. */
  public void onResult(ActionResult r) {
    metrics.input("result");
    IncidentRecord rec = state.incidentOfCommand(r.getCommandId());
    if (rec == null || !r.getCommandId().equals(rec.commandId) || rec.status != Status.AWAITING_RESULT) {
      return; // a result for a command we no longer wait for (duplicate, or an older step)
    }
    Policy p = policies.current().byName(rec.policy);
    String after = r.getObserved().get("replicas.after");
    if (after != null && rec.targetKey != null) {
      TargetRecord t = state.target(rec.targetKey);
      if (t != null) {
        try {
          t.lastReplicas = Integer.parseInt(after);
          state.put(t);
        } catch (NumberFormatException ignored) {
          // an executor's free-form observation; replicas stay unknown
        }
      }
    }
    switch (r.getStatus()) {
      case APPLIED -> startVerifying(rec, p);
      case SKIPPED -> {
        if (r.getDryRun()) {
          rec.status = Status.DRY_RUN;
          state.put(rec);
          LOG.info("dry run reported id={} command={} message={}", rec.id, rec.commandId, r.getMessage());
        } else {
          startVerifying(rec, p); // "already applied": the same command ran before
        }
      }
      case FAILED, REJECTED -> escalate(rec, p, "step " + rec.step + " " + stepKind(p, rec.step) + " "
          + r.getStatus().name().toLowerCase() + " (" + r.getExecutor() + "): " + r.getMessage());
      default -> { }
    }
  }

  private void startVerifying(IncidentRecord rec, Policy p) {
    rec.status = Status.VERIFYING;
    rec.appliedAt = now().toEpochMilli();
    rec.verifyUntil = now().plus(p == null ? Duration.ofMinutes(5) : p.verifyWindow()).toEpochMilli();
    rec.relapsed = false;
    state.put(rec);
  }

  /** A person's approval or denial of a pending command (from the approvals topic). */
  public void onApproval(AuditRecord a) {
    metrics.input("approval");
    if (a.getCommandId() == null) {
      return;
    }
    IncidentRecord rec = state.incidentOfCommand(a.getCommandId());
    if (rec == null || rec.status != Status.PENDING_APPROVAL || !a.getCommandId().equals(rec.commandId)) {
      LOG.info("approval ignored command={} decision={}: no command waits for it", a.getCommandId(),
          a.getDecision());
      return;
    }
    Policy p = policies.current().byName(rec.policy);
    if (a.getDecision() == AuditDecision.APPROVED) {
      if (killSwitch.get() || policies.current().guardrails().killSwitch()) {
        emit(rec, AuditDecision.BLOCKED, Reasons.KILL_SWITCH,
            "blocked: approved by " + a.getActor() + " but the kill switch is on", rec.commandId, Map.of());
        return;
      }
      ActionCommand cmd = decode(rec.pendingCommand);
      Map<String, String> params = new LinkedHashMap<>(cmd.getParams());
      params.put("approvedBy", a.getActor());
      cmd.setParams(params);
      emit(rec, AuditDecision.APPROVED, Reasons.APPROVAL,
          "approved by " + a.getActor() + (a.getReason().isEmpty() ? "" : ": " + a.getReason()), rec.commandId,
          Map.of(), a.getActor());
      rec.pendingCommand = null;
      issue(rec, p, cmd, cmd.getReason() + " (approved by " + a.getActor() + ")");
    } else if (a.getDecision() == AuditDecision.DENIED) {
      emit(rec, AuditDecision.DENIED, Reasons.APPROVAL,
          "denied by " + a.getActor() + (a.getReason().isEmpty() ? "" : ": " + a.getReason()), rec.commandId,
          Map.of(), a.getActor());
      rec.pendingCommand = null;
      escalate(rec, p, "step " + rec.step + " was denied by " + a.getActor());
    }
  }

  /** Time-driven work: verification windows, result and approval deadlines, retries, forgetting old incidents. */
  public void tick() {
    Instant now = now();
    long t = now.toEpochMilli();
    for (IncidentRecord rec : state.incidents()) {
      Policy p = policies.current().byName(rec.policy);
      Duration group = p == null ? Duration.ofMinutes(10) : p.groupWindow();
      boolean quiet = t - rec.lastArrival > group.toMillis();
      switch (rec.status) {
        case VERIFYING -> {
          if (t >= rec.verifyUntil) {
            if (rec.relapsed) {
              escalate(rec, p, "step " + rec.step + " " + stepKind(p, rec.step) + " did not fix it: still anomalous "
                  + "after the verification window");
            } else {
              emit(rec, AuditDecision.VERIFIED, null, "target recovered: no anomaly within the "
                  + GuardrailChainHuman.of(p == null ? Duration.ZERO : p.verifyWindow())
                  + " verification window after step " + rec.step, rec.commandId, Map.of());
              resolve(rec, p, "recovered after step " + rec.step + " " + stepKind(p, rec.step));
            }
          }
        }
        case AWAITING_RESULT -> {
          if (t >= rec.resultDeadline) {
            escalate(rec, p, "no result for command " + rec.commandId + " before its deadline");
          }
        }
        case PENDING_APPROVAL -> {
          if (t >= rec.approvalDeadline) {
            emit(rec, AuditDecision.EXPIRED, Reasons.APPROVAL,
                "approval expired: nobody approved command " + rec.commandId + " in time", rec.commandId, Map.of());
            rec.pendingCommand = null;
            escalate(rec, p, "step " + rec.step + " expired waiting for approval");
          }
        }
        case WAITING, HELD -> {
          if (quiet) {
            emit(rec, AuditDecision.RESOLVED, null, "condition cleared before any action was taken", null, Map.of());
            rec.status = Status.RESOLVED;
            rec.resolvedAt = t;
            state.put(rec);
          } else if (p != null && t >= rec.nextAttemptAt) {
            evaluate(rec, p, false);
          }
        }
        case RESOLVED, EXHAUSTED, DRY_RUN -> {
          long since = Math.max(rec.resolvedAt, rec.lastArrival);
          if (t - since > group.toMillis()) {
            state.remove(rec);
          }
        }
        default -> { }
      }
    }
  }

  // ------------------------------------------------------------------------------------------ decisions

  private void evaluate(IncidentRecord rec, Policy p, boolean newEvidence) {
    if (p == null || (rec.status != Status.WAITING && rec.status != Status.HELD)) {
      return;
    }
    Observation obs = observation(rec);
    if (obs.lasted().compareTo(p.match().forAtLeast()) < 0) {
      rec.status = Status.WAITING;
      String why = "waiting: the condition has lasted " + GuardrailChainHuman.of(obs.lasted()) + ", policy "
          + p.name() + " acts after " + GuardrailChainHuman.of(p.match().forAtLeast());
      if (rec.lastReason == null || !rec.lastReason.startsWith("waiting:")) {
        emit(rec, AuditDecision.SUPPRESSED, Reasons.DURATION, why, null, Map.of());
      }
      rec.lastReason = why;
      rec.nextAttemptAt = now().plus(settings.retryInterval()).toEpochMilli();
      state.put(rec);
      return;
    }
    propose(rec, p, rec.step > 0);
  }

  private void propose(IncidentRecord rec, Policy p, boolean escalation) {
    Instant now = now();
    PolicySet set = policies.current();
    Policy.Step step = p.ladder().get(rec.step);
    Observation obs = observation(rec);
    String commandId = rec.id + "#" + rec.step;
    Policy.TargetTemplate tt = step.target() != null ? step.target() : p.target();
    String targetKind;
    String namespace;
    String name;
    Map<String, String> params = new LinkedHashMap<>();
    try {
      targetKind = Templates.expand(tt.kind(), rec, obs);
      namespace = tt.namespace() == null ? null : Templates.expand(tt.namespace(), rec, obs);
      name = Templates.expand(tt.name(), rec, obs);
      for (Map.Entry<String, String> e : step.params().entrySet()) {
        params.put(e.getKey(), Templates.expand(e.getValue(), rec, obs));
      }
    } catch (IllegalArgumentException e) {
      hold(rec, AuditDecision.BLOCKED, Reasons.TEMPLATE, "blocked: cannot build step " + rec.step + " of policy "
          + p.name() + ": " + e.getMessage(), commandId);
      return;
    }
    String targetKey = Proposal.targetKey(targetKind, namespace, name);
    StringBuilder reason = new StringBuilder();
    reason.append("policy ").append(p.name()).append(" step ").append(rec.step).append(' ').append(step.action())
        .append(" on ").append(targetKey).append(": ").append(obs.severity()).append(" anomaly on ")
        .append(obs.entityId()).append(" (").append(String.join(", ", topSignals(rec))).append(") for ")
        .append(GuardrailChainHuman.of(obs.lasted()));
    int current = -1;
    if (step.action() == ActionKind.SCALE) {
      TargetRecord tr = state.target(targetKey);
      ScalePlanner.Plan plan = ScalePlanner.plan(step, obs, tr == null ? -1 : tr.lastReplicas);
      current = plan.current();
      if (plan.replicas() < 0) {
        escalate(rec, p, "step " + rec.step + " SCALE not needed: " + plan.explanation());
        return;
      }
      params.put("replicas", Integer.toString(plan.replicas()));
      if (plan.current() >= 0) {
        params.put("replicas.before", Integer.toString(plan.current()));
      }
      reason.append("; ").append(plan.explanation());
    }
    Proposal proposal = new Proposal(rec.id, commandId, p, step, step.action(), targetKind, namespace, name, params,
        current, reason.toString(), escalation, obs, false, false);
    GuardContext ctx = new GuardContext(now, set.guardrails(), state, killSwitch.get(), settings.globalDryRun());
    Verdict v = guardrails.check(proposal, ctx);
    rec.targetKey = targetKey;
    if (v instanceof Verdict.Deny d) {
      if (Reasons.COOLDOWN.equals(d.guardrail()) && coveredBySibling(rec, p, step, targetKey, d.reason())) {
        return;
      }
      hold(rec, d.decision(), d.guardrail(), d.reason(), commandId);
      return;
    }
    Proposal ok = ((Verdict.Allow) v).proposal();
    Map<String, String> finalParams = new LinkedHashMap<>(ok.params());
    ActionCommand cmd = ActionCommand.newBuilder()
        .setCommandId(commandId)
        .setIncidentId(rec.id)
        .setStepIndex(rec.step)
        .setPolicy(p.name())
        .setKind(ok.kind())
        .setTarget(new ActionTarget(targetKind, namespace, name))
        .setParams(finalParams)
        .setDryRun(ok.dryRun())
        .setRequiresApproval(ok.needsApproval())
        .setReason(ok.reason())
        .setCreatedAt(now)
        .setExpiresAt(now.plus(settings.commandTtl()))
        .build();
    rec.commandId = commandId;
    if (ok.needsApproval()) {
      rec.status = Status.PENDING_APPROVAL;
      rec.pendingCommand = encode(cmd);
      rec.approvalDeadline = now.plus(set.guardrails().approvalTtl()).toEpochMilli();
      rec.lastReason = null;
      state.put(rec);
      emit(rec, AuditDecision.PENDING_APPROVAL, Reasons.APPROVAL,
          "waiting for approval until " + Instant.ofEpochMilli(rec.approvalDeadline) + ": " + ok.reason(), commandId,
          explanation(rec, cmd));
      return;
    }
    issue(rec, p, cmd, ok.reason());
  }

  /**
   * Resolves the incident as covered when the cooldown holds its step back because a sibling incident of the same
   * policy already took the same action on the same target (every replica of a service with a bad release opens
   * its own incident, and one FAILOVER of the service handles them all). Held instead, the incident would
   * re-issue that action once the cooldown ended: a duplicate for a fault already handled. The sibling's ladder
   * carries on (verification, escalation); the covered incident names it in the audit.
   */
  private boolean coveredBySibling(IncidentRecord rec, Policy p, Policy.Step step, String targetKey,
      String cooldownReason) {
    if (rec.fromIncidentsTopic) {
      return false; // the correlator already groups an incident's entities; its incidents keep the plain cooldown
    }
    TargetRecord t = state.target(targetKey);
    if (t == null || t.lastIncidentId == null || t.lastIncidentId.equals(rec.id)) {
      return false;
    }
    IncidentRecord sibling = state.incident(t.lastIncidentId);
    if (sibling == null || !rec.policy.equals(sibling.policy) || sibling.commandId == null) {
      return false;
    }
    int siblingStep = stepOf(sibling.commandId);
    if (siblingStep < 0 || siblingStep >= p.ladder().size() || p.ladder().get(siblingStep).action() != step.action()) {
      return false; // another action of the ladder: the cooldown holds it as usual
    }
    Duration cooldown = p.cooldown() != null ? p.cooldown() : policies.current().guardrails().cooldown();
    Instant now = now();
    rec.status = Status.RESOLVED;
    rec.resolvedAt = now.toEpochMilli();
    rec.coveredBy = sibling.id;
    rec.coveredCommand = sibling.commandId;
    rec.coveredUntil = t.lastActionAt + cooldown.toMillis();
    rec.lastReason = null;
    state.put(rec);
    emit(rec, AuditDecision.RESOLVED, Reasons.COVERED, "covered by command " + sibling.commandId + " of incident "
        + sibling.id + ": policy " + p.name() + " already issued " + step.action() + " on " + targetKey
        + "; no duplicate command (" + cooldownReason + ")", sibling.commandId,
        Map.of("coveredBy", sibling.id, "coveredCommand", sibling.commandId, "target", targetKey));
    LOG.info("incident covered id={} policy={} by={} command={} target={}", rec.id, p.name(), sibling.id,
        sibling.commandId, targetKey);
    return true;
  }

  private static int stepOf(String commandId) {
    int hash = commandId.lastIndexOf('#');
    try {
      return hash < 0 ? -1 : Integer.parseInt(commandId.substring(hash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void issue(IncidentRecord rec, Policy p, ActionCommand cmd, String reason) {
    Instant now = now();
    // A command created for approval gets a fresh validity from the moment it is released.
    if (cmd.getExpiresAt().isBefore(now.plus(settings.commandTtl()))) {
      cmd.setExpiresAt(now.plus(settings.commandTtl()));
    }
    commands.accept(cmd);
    metrics.command(cmd.getPolicy(), cmd.getKind().name(), cmd.getDryRun());
    if (!cmd.getDryRun()) {
      GuardrailLimits limits = GuardrailLimits.of(policies.current());
      state.recordAction(Proposal.targetKey(cmd.getTarget().getKind(), cmd.getTarget().getNamespace(),
          cmd.getTarget().getName()), rec.id, now, limits.keep());
    }
    rec.status = Status.AWAITING_RESULT;
    rec.commandId = cmd.getCommandId();
    rec.issuedAt = now.toEpochMilli();
    rec.resultDeadline = cmd.getExpiresAt().plus(settings.resultGrace()).toEpochMilli();
    rec.lastReason = null;
    state.put(rec);
    emit(rec, AuditDecision.ISSUED, cmd.getDryRun() ? Reasons.DRY_RUN : null,
        "issued " + cmd.getKind() + (cmd.getDryRun() ? " (dry run)" : "") + ": " + reason, cmd.getCommandId(),
        explanation(rec, cmd));
    LOG.info("command issued id={} kind={} target={} dryRun={} incident={}", cmd.getCommandId(), cmd.getKind(),
        cmd.getTarget().getName(), cmd.getDryRun(), rec.id);
  }

  private void hold(IncidentRecord rec, AuditDecision decision, String guardrail, String reason, String commandId) {
    rec.status = Status.HELD;
    rec.nextAttemptAt = now().plus(settings.retryInterval()).toEpochMilli();
    if (!reason.equals(rec.lastReason)) {
      // One audit record per distinct reason and step, not one per anomaly while the reason lasts.
      emit(rec, decision, guardrail, reason, commandId, Map.of());
    } else {
      metrics.decision(decision.name(), guardrail);
    }
    rec.lastReason = reason;
    state.put(rec);
  }

  private void escalate(IncidentRecord rec, Policy p, String why) {
    if (p != null && rec.step + 1 < p.ladder().size()) {
      int next = rec.step + 1;
      emit(rec, AuditDecision.ESCALATED, null, why + "; escalating to step " + next + " "
          + p.ladder().get(next).action(), rec.commandId, Map.of());
      rec.step = next;
      rec.status = Status.HELD;
      rec.lastReason = null;
      rec.nextAttemptAt = 0;
      state.put(rec);
      propose(rec, p, true);
    } else {
      emit(rec, AuditDecision.ESCALATED, null, why + "; the ladder is exhausted, left to people", rec.commandId,
          Map.of());
      rec.status = Status.EXHAUSTED;
      rec.resolvedAt = now().toEpochMilli();
      state.put(rec);
    }
  }

  private void resolve(IncidentRecord rec, Policy p, String why) {
    Instant now = now();
    rec.status = Status.RESOLVED;
    rec.resolvedAt = now.toEpochMilli();
    Duration mttr = Duration.ofMillis(rec.resolvedAt - rec.onset);
    Duration mttd = Duration.ofMillis(rec.detectedAt - rec.onset);
    rec.mttrMillis = mttr.toMillis();
    state.put(rec);
    String policy = p == null ? rec.policy : p.name();
    metrics.mttr(policy, mttr);
    metrics.mttd(policy, mttd);
    emit(rec, AuditDecision.RESOLVED, null, why + "; MTTR " + GuardrailChainHuman.of(mttr) + ", MTTD "
        + GuardrailChainHuman.of(mttd), rec.commandId, Map.of("mttr.ms", Long.toString(mttr.toMillis()),
        "mttd.ms", Long.toString(mttd.toMillis())));
    LOG.info("incident resolved id={} policy={} mttrMs={} mttdMs={}", rec.id, policy, mttr.toMillis(),
        mttd.toMillis());
  }

  // --------------------------------------------------------------------------------------------- helpers

  private void emit(IncidentRecord rec, AuditDecision decision, String guardrail, String reason, String commandId,
      Map<String, String> extra) {
    emit(rec, decision, guardrail, reason, commandId, extra, ACTOR);
  }

  private void emit(IncidentRecord rec, AuditDecision decision, String guardrail, String reason, String commandId,
      Map<String, String> extra, String actor) {
    Map<String, String> explanation = new LinkedHashMap<>();
    explanation.put("entity", rec.entityId);
    explanation.put("severity", rec.severity);
    explanation.put("step", Integer.toString(rec.step));
    explanation.put("anomalies", String.join(",", rec.anomalyIds));
    explanation.put("signals", String.join(",", topSignals(rec)));
    explanation.putAll(extra);
    AuditRecord r = AuditRecord.newBuilder()
        .setAuditId(rec.id + ":" + rec.step + ":" + decision + ":" + (guardrail == null ? "-" : guardrail))
        .setIncidentId(rec.id)
        .setDecision(decision)
        .setReason(reason)
        .setGuardrail(guardrail)
        .setPolicy(rec.policy)
        .setCommandId(commandId)
        .setActor(actor)
        .setDecidedAt(now())
        .setExplanation(explanation)
        .build();
    audit.accept(r);
    metrics.decision(decision.name(), guardrail);
    if (decision != AuditDecision.ISSUED && decision != AuditDecision.RESOLVED) {
      LOG.info("decision incident={} decision={} guardrail={} reason={}", rec.id, decision, guardrail, reason);
    }
  }

  private static Map<String, String> explanation(IncidentRecord rec, ActionCommand cmd) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("target", Proposal.targetKey(cmd.getTarget().getKind(), cmd.getTarget().getNamespace(),
        cmd.getTarget().getName()));
    m.put("kind", cmd.getKind().name());
    cmd.getParams().forEach((k, v) -> m.put("param." + k, v));
    return m;
  }

  private static java.util.List<String> topSignals(IncidentRecord rec) {
    return rec.signals.stream().limit(5).toList();
  }

  private static String stepKind(Policy p, int step) {
    return p == null || step >= p.ladder().size() ? "?" : p.ladder().get(step).action().name();
  }

  static Observation observation(IncidentRecord rec) {
    Map<String, Observation.FeatureValue> f = new LinkedHashMap<>();
    rec.features.forEach((k, v) -> f.put(k, new Observation.FeatureValue(v[0], Double.isNaN(v[1]) ? null : v[1])));
    return new Observation(rec.entityId, rec.entityKind, rec.labels, rec.signals, Severity.valueOf(rec.severity),
        Instant.ofEpochMilli(rec.onset), Instant.ofEpochMilli(Math.max(rec.lastSeen, rec.onset)), f);
  }

  private Instant now() {
    return clock.instant();
  }

  private static String encode(ActionCommand cmd) {
    try {
      ByteBuffer b = cmd.toByteBuffer();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ActionCommand decode(String s) {
    try {
      return ActionCommand.fromByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(s)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How long action times must be kept for the rate limits. */
  private record GuardrailLimits(Duration keep) {
    static GuardrailLimits of(PolicySet set) {
      return new GuardrailLimits(set.guardrails().ratePeriod().compareTo(Duration.ofHours(1)) > 0
          ? set.guardrails().ratePeriod() : Duration.ofHours(1));
    }
  }

  /** Short human durations for reasons. */
  static final class GuardrailChainHuman {
    static String of(Duration d) {
      long s = d.getSeconds();
      if (s < 120) {
        return s + "s";
      }
      if (s < 7200) {
        return (s / 60) + "m";
      }
      return (s / 3600) + "h";
    }
  }
}
