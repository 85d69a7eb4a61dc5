package io.autonomic.remediator.executor;

import static io.autonomic.config.ConfigOption.duration;
import static io.autonomic.config.ConfigOption.integer;
import static io.autonomic.config.ConfigOption.secret;
import static io.autonomic.config.ConfigOption.string;

import io.autonomic.config.ConfigOption;
import io.autonomic.schemas.Topics;
import java.time.Duration;
import java.util.List;

/** Every option of the executors (the {@code executor.*} section). */
public final class ExecutorOptions {
  private ExecutorOptions() {}

  public static final ConfigOption<String> GROUP_ID = string("executor.group.id", null,
      "Consumer group; default autonomic-executor-<kind>.");
  public static final ConfigOption<String> TOPIC_ACTIONS = string("executor.topic.actions", Topics.ACTIONS.name(),
      "Topic of the commands.");
  public static final ConfigOption<String> TOPIC_RESULTS = string("executor.topic.action-results",
      Topics.ACTION_RESULTS.name(), "Topic the results go to.");
  public static final ConfigOption<Duration> POLL_TIMEOUT = duration("executor.poll.timeout", Duration.ofMillis(500),
      "Longest wait of one poll.");

  public static final ConfigOption<String> WEBHOOK_URL = string("executor.webhook.url", null,
      "Default receiver URL when a command has no params.url.");
  public static final ConfigOption<String> WEBHOOK_FORMAT = string("executor.webhook.format", "generic",
      "Default payload shape: slack, pagerduty, alertmanager or generic.");
  public static final ConfigOption<String> WEBHOOK_ROUTING_KEY = secret("executor.webhook.pagerduty.routing-key",
      "PagerDuty Events v2 integration key for the pagerduty format.");
  public static final ConfigOption<Integer> WEBHOOK_ATTEMPTS = integer("executor.webhook.attempts", 4,
      "Attempts in all per webhook (connection errors, 429 and 5xx are retried).");
  public static final ConfigOption<Duration> WEBHOOK_BACKOFF = duration("executor.webhook.backoff",
      Duration.ofMillis(500), "Wait before the second attempt; doubles each time.");
  public static final ConfigOption<Duration> WEBHOOK_TIMEOUT = duration("executor.webhook.timeout",
      Duration.ofSeconds(10), "Timeout of one HTTP request.");

  public static final ConfigOption<String> LOCAL_SCALE = string("executor.local.scale", null,
      "Shell command for SCALE; gets AUTONOMIC_TARGET and AUTONOMIC_REPLICAS in its environment.");
  public static final ConfigOption<String> LOCAL_RESTART = string("executor.local.restart", null,
      "Shell command for RESTART; gets AUTONOMIC_TARGET.");
  public static final ConfigOption<String> LOCAL_FAILOVER = string("executor.local.failover", null,
      "Shell command for FAILOVER; gets AUTONOMIC_TARGET.");
  public static final ConfigOption<Duration> LOCAL_TIMEOUT = duration("executor.local.timeout",
      Duration.ofSeconds(30), "Longest a local command may run before it is killed and the action FAILED.");

  public static final List<ConfigOption<?>> ALL = List.of(GROUP_ID, TOPIC_ACTIONS, TOPIC_RESULTS, POLL_TIMEOUT,
      WEBHOOK_URL, WEBHOOK_FORMAT, WEBHOOK_ROUTING_KEY, WEBHOOK_ATTEMPTS, WEBHOOK_BACKOFF, WEBHOOK_TIMEOUT, LOCAL_SCALE,
      LOCAL_RESTART, LOCAL_FAILOVER, LOCAL_TIMEOUT);
}
