package io.autonomic.schemas;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionResult;
import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.AuditRecord;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.Incident;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The topic contract of DESIGN.md: every topic Autonomic reads or writes, its value type, compaction and default
 * partition count. {@code ./autonomic up} creates {@link #ALL}.
 */
public final class Topics {
  private Topics() {}

  /** Normalized metric points, keyed by entity id so one entity's series stay in one partition. */
  public static final Topic METRICS = new Topic("telemetry.metrics", MetricPoint.class, false, 6,
      "Normalized metric points from agents, the normalizer and log patterns; key: entity id.");
  /** Normalized log records, keyed by entity id. */
  public static final Topic LOGS = new Topic("telemetry.logs", LogRecord.class, false, 6,
      "Normalized log records; key: entity id.");
  /** OTLP protobuf as the OpenTelemetry Collector's Kafka exporter writes it. */
  public static final Topic RAW_OTLP = new Topic("telemetry.raw.otlp", null, false, 3,
      "Raw OTLP (protobuf) from OpenTelemetry Collectors, for the normalizer; any key.");
  /** Influx line protocol as Telegraf's Kafka output writes it. */
  public static final Topic RAW_INFLUX = new Topic("telemetry.raw.influx", null, false, 3,
      "Raw Influx line protocol from Telegraf, for the normalizer; any key.");
  /** JSON as Fluent Bit and other agents write it. */
  public static final Topic RAW_JSON = new Topic("telemetry.raw.json", null, false, 3,
      "Raw JSON metrics and logs from Fluent Bit and other agents, for the normalizer; any key.");
  /** Records a stage could not process, with their original bytes. */
  public static final Topic DLQ = new Topic("telemetry.dlq", DeadLetter.class, false, 3,
      "Rejected records with their original bytes and the reason; key: source topic.");
  /** Anomalies found by the detector. */
  public static final Topic ANOMALIES = new Topic("anomalies", AnomalyEvent.class, false, 3,
      "Scored anomalies with per-feature contributions; key: entity id.");
  /** Incidents: grouped, deduplicated anomalies. */
  public static final Topic INCIDENTS = new Topic("incidents", Incident.class, false, 3,
      "Incident changes (OPEN, UPDATED, RESOLVED) from the correlator; key: incident id.");
  /** Commands for the executors. */
  public static final Topic ACTIONS = new Topic("actions", ActionCommand.class, false, 3,
      "Remediation commands for executors; key: target (kind/namespace/name).");
  /** What executors did with the commands. */
  public static final Topic ACTION_RESULTS = new Topic("action-results", ActionResult.class, false, 3,
      "Outcomes of commands (APPLIED, FAILED, REJECTED, SKIPPED); key: command id.");
  /** Every remediation decision. */
  public static final Topic AUDIT = new Topic("remediation.audit", AuditRecord.class, false, 3,
      "Every remediation decision, including suppressed and blocked ones and why; key: incident id.");
  /** Trained models: the latest version per model key. */
  public static final Topic MODELS = new Topic("models", ModelUpdate.class, true, 1,
      "Model versions for the detector to hot-swap (compacted); key: model key.");
  /** The remediator's state changelog (cooldowns, counters, pending approvals). */
  public static final Topic REMEDIATOR_STATE = new Topic("remediator.state", null, true, 3,
      "The remediator's state changelog (compacted, format owned by remediator/); key: state key.");
  /** Human approvals or denials of commands that require approval. */
  public static final Topic APPROVALS = new Topic("approvals", AuditRecord.class, false, 1,
      "Approvals and denials of pending commands (AuditRecord, decision APPROVED or DENIED); key: command id.");

  /** Every topic, in the order of the contract table. */
  public static final List<Topic> ALL = List.of(METRICS, LOGS, RAW_OTLP, RAW_INFLUX, RAW_JSON, DLQ, ANOMALIES,
      INCIDENTS, ACTIONS, ACTION_RESULTS, AUDIT, MODELS, REMEDIATOR_STATE, APPROVALS);

  /** The topic with this name, if it is in the contract. */
  public static Optional<Topic> byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The topic with this name; throws, listing the known names, if it is not in the contract. */
  public static Topic get(String name) {
    return byName(name).orElseThrow(() -> new IllegalArgumentException("unknown topic '" + name + "'; known: "
        + ALL.stream().map(Topic::name).collect(Collectors.joining(", "))));
  }
}
