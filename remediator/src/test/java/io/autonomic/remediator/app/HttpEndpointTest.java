package io.autonomic.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.AuditDecision;
import io.autonomic.avro.AuditRecord;
import io.autonomic.remediator.Fixtures;
import io.autonomic.testkit.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
  final List<AuditRecord> approvals = new CopyOnWriteArrayList<>();
  final AtomicBoolean kill = new AtomicBoolean();
  final HttpClient http = HttpClient.newHttpClient();
  HttpEndpoint endpoint;

  HttpEndpoint start(String token) throws IOException {
    endpoint = new HttpEndpoint("127.0.0.1", 0, token, () -> true, () -> "remediator_decisions_total 1\n",
        approvals::add, kill::set, new ManualClock(Fixtures.T0));
    return endpoint;
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  HttpResponse<String> post(String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anApprovalWithTheTokenIsRecorded() throws Exception {
    start("s3cret");

    HttpResponse<String> r = post("/approvals/svc~p~1%231", "s3cret",
        "{\"decision\":\"APPROVED\",\"actor\":\"alice\",\"reason\":\"go\"}");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(approvals).singleElement().satisfies(a -> {
      assertThat(a.getCommandId()).isEqualTo("svc~p~1#1");
      assertThat(a.getIncidentId()).isEqualTo("svc~p~1");
      assertThat(a.getDecision()).isEqualTo(AuditDecision.APPROVED);
      assertThat(a.getActor()).isEqualTo("alice");
    });
  }

  @Test
  void anApprovalWithoutOrWithAWrongTokenIsRefused() throws Exception {
    start("s3cret");

    assertThat(post("/approvals/x%231", null, "{\"decision\":\"APPROVED\",\"actor\":\"a\"}").statusCode())
        .isEqualTo(401);
    assertThat(post("/approvals/x%231", "guess", "{\"decision\":\"APPROVED\",\"actor\":\"a\"}").statusCode())
        .isEqualTo(401);
    assertThat(approvals).isEmpty();
  }

  @Test
  void approvalsOverHttpAreDisabledWithoutAToken() throws Exception {
    start(null);

    assertThat(post("/approvals/x%231", "anything", "{\"decision\":\"APPROVED\",\"actor\":\"a\"}").statusCode())
        .isEqualTo(403);
  }

  @Test
  void aMalformedApprovalIsABadRequest() throws Exception {
    start("s3cret");

    assertThat(post("/approvals/x%231", "s3cret", "{\"decision\":\"MAYBE\",\"actor\":\"a\"}").statusCode())
        .isEqualTo(400);
    assertThat(post("/approvals/x%231", "s3cret", "not json").statusCode()).isEqualTo(400);
  }

  @Test
  void theKillSwitchIsSwitchedWithTheToken() throws Exception {
    start("s3cret");

    assertThat(post("/kill-switch", null, "{\"on\":true}").statusCode()).isEqualTo(401);
    assertThat(kill).isFalse();
    assertThat(post("/kill-switch", "s3cret", "{\"on\":true}").statusCode()).isEqualTo(200);
    assertThat(kill).isTrue();
  }

  @Test
  void servesHealthAndMetrics() throws Exception {
    start(null);

    HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port()
        + "/health")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(m.body()).contains("remediator_decisions_total");
    assertThat(h.statusCode()).isEqualTo(200);
  }
}
