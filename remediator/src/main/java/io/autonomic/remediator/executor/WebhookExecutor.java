package io.autonomic.remediator.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * PAGE and WEBHOOK commands as an HTTP POST of JSON, shaped for the receiver: {@code slack} (an incoming webhook's
 * {@code text}), {@code pagerduty} (Events API v2, {@code dedup_key} = command id so a repeat is one incident),
 * {@code alertmanager} (a list of alerts, as its {@code /api/v2/alerts} takes) or {@code generic} (the command).
 * Transient failures (connection errors, 429, 5xx) are retried with exponential backoff up to a fixed number of
 * attempts; other 4xx fail at once. The URL is {@code params.url}, else the configured default.
 */
public final class WebhookExecutor implements ActionExecutor {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param defaultUrl     where to POST when the command names no URL (null: the command must)
   * @param defaultFormat  slack, pagerduty, alertmanager or generic
   * @param routingKey     PagerDuty integration key (secret), or null
   * @param maxAttempts    attempts in all, at least 1
   * @param initialBackoff wait before the second attempt; doubles each time
   * @param timeout        per-request timeout
   */
  public record Settings(String defaultUrl, String defaultFormat, String routingKey, int maxAttempts,
      Duration initialBackoff, Duration timeout) {}

  private final Settings settings;
  private final HttpClient http;

  public WebhookExecutor(Settings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public boolean supports(ActionCommand c) {
    return c.getKind() == ActionKind.PAGE || c.getKind() == ActionKind.WEBHOOK
        || c.getTarget().getKind().equals("webhook");
  }

  @Override
  public Outcome execute(ActionCommand c) throws InterruptedException {
    String url = c.getParams().getOrDefault("url", settings.defaultUrl());
    if (url == null || url.isBlank()) {
      return Outcome.rejected("no webhook URL: set params.url in the policy or executor.webhook.url");
    }
    String format = c.getParams().getOrDefault("format", settings.defaultFormat()).toLowerCase(Locale.ROOT);
    String body;
    try {
      body = bodyFor(payload(c, format));
    } catch (IllegalArgumentException e) {
      return Outcome.rejected(e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.timeout())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    Duration backoff = settings.initialBackoff();
    String last = "";
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
          return Outcome.applied("POST " + format + " webhook: HTTP " + s + " after " + attempt + " attempt"
              + (attempt == 1 ? "" : "s"), Map.of("http.status", Integer.toString(s), "attempts",
              Integer.toString(attempt)));
        }
        last = "HTTP " + s + " " + abbreviate(r.body());
        if (s != 429 && s < 500) {
          return new Outcome(io.autonomic.avro.ActionStatus.FAILED, "webhook refused the request: " + last,
              Map.of("http.status", Integer.toString(s), "attempts", Integer.toString(attempt)));
        }
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (attempt < settings.maxAttempts()) {
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2);
      }
    }
    return new Outcome(io.autonomic.avro.ActionStatus.FAILED, "webhook failed after " + settings.maxAttempts()
        + " attempts: " + last, Map.of("attempts", Integer.toString(settings.maxAttempts())));
  }

  private ObjectNode payload(ActionCommand c, String format) {
    String summary = c.getParams().getOrDefault("summary", c.getReason());
    ObjectNode o = JSON.createObjectNode();
    switch (format) {
      case "slack" -> o.put("text", ":rotating_light: " + summary + " (incident " + c.getIncidentId() + ", command "
          + c.getCommandId() + ")");
      case "pagerduty" -> {
        String key = c.getParams().getOrDefault("routingKey", settings.routingKey());
        if (key == null) {
          throw new IllegalArgumentException("pagerduty needs a routing key: params.routingKey or "
              + "executor.webhook.pagerduty.routing-key");
        }
        o.put("routing_key", key);
        o.put("event_action", "trigger");
        o.put("dedup_key", c.getCommandId());
        ObjectNode p = o.putObject("payload");
        p.put("summary", summary.length() > 1024 ? summary.substring(0, 1024) : summary);
        p.put("source", c.getTarget().getName());
        p.put("severity", c.getParams().getOrDefault("severity", "critical").toLowerCase(Locale.ROOT));
        p.putObject("custom_details").put("incident", c.getIncidentId()).put("policy", c.getPolicy());
      }
      case "alertmanager" -> {
        ArrayNode alerts = JSON.createArrayNode();
        ObjectNode a = alerts.addObject();
        ObjectNode labels = a.putObject("labels");
        labels.put("alertname", "AutonomicRemediation");
        labels.put("incident", c.getIncidentId());
        labels.put("policy", c.getPolicy());
        labels.put("target", c.getTarget().getName());
        a.putObject("annotations").put("summary", summary).put("command", c.getCommandId());
        a.put("startsAt", c.getCreatedAt().toString());
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.set("alerts", alerts);
        return wrapper;
      }
      case "generic" -> {
        o.put("commandId", c.getCommandId());
        o.put("incidentId", c.getIncidentId());
        o.put("policy", c.getPolicy());
        o.put("kind", c.getKind().name());
        o.put("target", c.getTarget().getName());
        o.put("reason", c.getReason());
        ObjectNode params = o.putObject("params");
        c.getParams().forEach(params::put);
      }
      default -> throw new IllegalArgumentException("unknown webhook format '" + format
          + "'; use slack, pagerduty, alertmanager or generic");
    }
    return o;
  }

  /** The body Alertmanager's API takes is the bare list; {@link #payload} wraps it so one type fits all. */
  static String bodyFor(ObjectNode payload) {
    return payload.has("alerts") && payload.size() == 1 ? payload.get("alerts").toString() : payload.toString();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
