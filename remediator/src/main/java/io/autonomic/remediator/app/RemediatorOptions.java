package io.autonomic.remediator.app;

import static io.autonomic.config.ConfigOption.bool;
import static io.autonomic.config.ConfigOption.duration;
import static io.autonomic.config.ConfigOption.integer;
import static io.autonomic.config.ConfigOption.secret;
import static io.autonomic.config.ConfigOption.string;

import io.autonomic.config.ConfigOption;
import io.autonomic.schemas.Topics;
import java.time.Duration;
import java.util.List;

/** Every option of the remediator app, declared once (the {@code remediator.*} section). */
public final class RemediatorOptions {
  private RemediatorOptions() {}

  public static final ConfigOption<String> POLICIES_DIR = string("remediator.policies.dir", "policies",
      "Directory of policy YAML files (policies: and guardrails:), hot-reloaded.");
  public static final ConfigOption<Duration> POLICIES_RELOAD = duration("remediator.policies.reload.interval",
      Duration.ofSeconds(2), "How often the policy directory is checked for changes.");
  public static final ConfigOption<String> INPUT = string("remediator.input", "anomalies",
      "What to act on: 'anomalies' (grouped per entity and policy here) or 'incidents' (the correlator's).");
  public static final ConfigOption<Boolean> DRY_RUN = bool("remediator.dry-run", false,
      "Global dry-run switch: every command is issued as a dry run and executors change nothing.");
  public static final ConfigOption<Boolean> KILL_SWITCH = bool("remediator.kill-switch", false,
      "Kill switch at start-up: no command is issued while it is on (also switchable over HTTP).");
  public static final ConfigOption<String> APPLICATION_ID = string("remediator.application.id",
      "autonomic-remediator", "Consumer group and transactional id; one active instance per id (a new one fences "
          + "the old).");
  public static final ConfigOption<Duration> COMMAND_TTL = duration("remediator.command.ttl", Duration.ofMinutes(10),
      "How long an issued command stays valid; executors reject it after that.");
  public static final ConfigOption<Duration> RETRY_INTERVAL = duration("remediator.retry.interval",
      Duration.ofMinutes(1), "How often a step held back by a guardrail is tried again while its incident lasts.");
  public static final ConfigOption<Duration> RESULT_GRACE = duration("remediator.result.grace", Duration.ofMinutes(1),
      "How long after a command's expiry to wait for its result before escalating.");
  public static final ConfigOption<Duration> POLL_TIMEOUT = duration("remediator.poll.timeout",
      Duration.ofMillis(200), "Longest wait of one poll; also the resolution of timers.");
  public static final ConfigOption<Integer> MAX_POLL_RECORDS = integer("remediator.max.poll.records", 200,
      "Records per poll, so per transaction.");
  public static final ConfigOption<String> HTTP_HOST = string("remediator.http.host", "127.0.0.1",
      "Address of the HTTP endpoint (/health, /metrics, /approvals, /kill-switch).");
  public static final ConfigOption<Integer> HTTP_PORT = integer("remediator.http.port", 9404,
      "Port of the HTTP endpoint; 0 picks a free one, -1 turns it off.");
  public static final ConfigOption<String> APPROVAL_TOKEN = secret("remediator.approval.token",
      "Bearer token required by POST /approvals and /kill-switch; without it those endpoints are disabled.");

  public static final ConfigOption<String> TOPIC_ANOMALIES = string("remediator.topic.anomalies",
      Topics.ANOMALIES.name(), "Topic of anomaly events.");
  public static final ConfigOption<String> TOPIC_INCIDENTS = string("remediator.topic.incidents",
      Topics.INCIDENTS.name(), "Topic of incidents.");
  public static final ConfigOption<String> TOPIC_ACTIONS = string("remediator.topic.actions",
      Topics.ACTIONS.name(), "Topic the commands go to.");
  public static final ConfigOption<String> TOPIC_RESULTS = string("remediator.topic.action-results",
      Topics.ACTION_RESULTS.name(), "Topic of the executors' results.");
  public static final ConfigOption<String> TOPIC_AUDIT = string("remediator.topic.audit", Topics.AUDIT.name(),
      "Topic every decision goes to.");
  public static final ConfigOption<String> TOPIC_APPROVALS = string("remediator.topic.approvals",
      Topics.APPROVALS.name(), "Topic of approvals and denials.");
  public static final ConfigOption<String> TOPIC_STATE = string("remediator.topic.state",
      Topics.REMEDIATOR_STATE.name(), "Compacted changelog of the remediator's state.");
  public static final ConfigOption<String> TOPIC_DLQ = string("remediator.topic.dlq", Topics.DLQ.name(),
      "Dead-letter topic for records that cannot be read.");

  public static final List<ConfigOption<?>> ALL = List.of(POLICIES_DIR, POLICIES_RELOAD, INPUT, DRY_RUN, KILL_SWITCH,
      APPLICATION_ID, COMMAND_TTL, RETRY_INTERVAL, RESULT_GRACE, POLL_TIMEOUT, MAX_POLL_RECORDS, HTTP_HOST, HTTP_PORT,
      APPROVAL_TOKEN, TOPIC_ANOMALIES, TOPIC_INCIDENTS, TOPIC_ACTIONS, TOPIC_RESULTS, TOPIC_AUDIT, TOPIC_APPROVALS,
      TOPIC_STATE, TOPIC_DLQ);
}
