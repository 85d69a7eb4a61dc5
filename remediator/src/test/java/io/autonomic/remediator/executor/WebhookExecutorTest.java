package io.autonomic.remediator.executor;

import static io.autonomic.remediator.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook executor against a local HTTP receiver. */
class WebhookExecutorTest {
  HttpServer server;
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  volatile int failureStatus = 503;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      int status = failuresLeft.getAndDecrement() > 0 ? failureStatus : 200;
      byte[] out = "ok".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  WebhookExecutor executor(int attempts) {
    return new WebhookExecutor(new WebhookExecutor.Settings(url(), "generic", "pd-key", attempts,
        Duration.ofMillis(10), Duration.ofSeconds(5)));
  }

  static ActionCommand page(String format) {
    return command("inc#3", ActionKind.PAGE, "webhook", null, "oncall", Map.of("format", format));
  }

  @Test
  void postsASlackMessage() throws Exception {
    ActionExecutor.Outcome o = executor(1).execute(page("slack"));

    assertThat(o.status()).isEqualTo(ActionStatus.APPLIED);
    JsonNode body = new ObjectMapper().readTree(bodies.get(0));
    assertThat(body.get("text").asText()).contains("latency high on oncall").contains("command inc#3");
  }

  @Test
  void postsAPagerDutyEventDeduplicatedByCommandId() throws Exception {
    executor(1).execute(page("pagerduty"));

    JsonNode body = new ObjectMapper().readTree(bodies.get(0));
    assertThat(body.get("routing_key").asText()).isEqualTo("pd-key");
    assertThat(body.get("event_action").asText()).isEqualTo("trigger");
    assertThat(body.get("dedup_key").asText()).isEqualTo("inc#3");
    assertThat(body.at("/payload/summary").asText()).isEqualTo("latency high on oncall");
  }

  @Test
  void postsAlertmanagerAlertsAsAList() throws Exception {
    executor(1).execute(page("alertmanager"));

    JsonNode body = new ObjectMapper().readTree(bodies.get(0));
    assertThat(body.isArray()).isTrue();
    assertThat(body.get(0).at("/labels/alertname").asText()).isEqualTo("AutonomicRemediation");
    assertThat(body.get(0).at("/annotations/command").asText()).isEqualTo("inc#3");
  }

  @Test
  void retriesServerErrorsWithBackoffUntilItWorks() throws Exception {
    failuresLeft.set(2);

    ActionExecutor.Outcome o = executor(4).execute(page("generic"));

    assertThat(o.status()).isEqualTo(ActionStatus.APPLIED);
    assertThat(o.observed()).containsEntry("attempts", "3");
    assertThat(bodies).hasSize(3);
  }

  @Test
  void givesUpAfterTheLastAttemptWithAFailedOutcome() throws Exception {
    failuresLeft.set(100);

    ActionExecutor.Outcome o = executor(3).execute(page("generic"));

    assertThat(o.status()).isEqualTo(ActionStatus.FAILED);
    assertThat(o.message()).startsWith("webhook failed after 3 attempts: HTTP 503");
    assertThat(bodies).hasSize(3);
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    failuresLeft.set(100);
    failureStatus = 400;

    ActionExecutor.Outcome o = executor(4).execute(page("generic"));

    assertThat(o.status()).isEqualTo(ActionStatus.FAILED);
    assertThat(bodies).hasSize(1);
  }

  @Test
  void anUnreachableReceiverFailsAfterItsAttempts() throws Exception {
    server.stop(0);

    ActionExecutor.Outcome o = executor(2).execute(page("generic"));

    assertThat(o.status()).isEqualTo(ActionStatus.FAILED);
    assertThat(o.message()).contains("ConnectException");
  }

  @Test
  void anUnknownFormatIsRejected() throws Exception {
    assertThat(executor(1).execute(page("teams")).status()).isEqualTo(ActionStatus.REJECTED);
    assertThat(bodies).isEmpty();
  }
}
