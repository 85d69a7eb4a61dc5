package io.autonomic.remediator.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.autonomic.avro.AuditDecision;
import io.autonomic.avro.AuditRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remediator's small HTTP face: {@code GET /health}, {@code GET /metrics} (Prometheus),
 * {@code POST /approvals/{commandId}} ({@code {"decision":"APPROVED"|"DENIED","actor":"alice","reason":"..."}})
 * and {@code POST /kill-switch} ({@code {"on":true}}). The POSTs need {@code Authorization: Bearer <token>}; with no
 * token configured they answer 403. An approval is not applied here: it is written to the approvals topic, which
 * the loop consumes inside its transactions, so HTTP and topic approvals follow one path.
 */
public final class HttpEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String token;
  private final Consumer<AuditRecord> approvals;
  private final Consumer<Boolean> killSwitch;
  private final Clock clock;

  public HttpEndpoint(String host, int port, String token, BooleanSupplier healthy, Supplier<String> metrics,
      Consumer<AuditRecord> approvals, Consumer<Boolean> killSwitch, Clock clock) throws IOException {
    this.token = token == null || token.isBlank() ? null : token;
    this.approvals = approvals;
    this.killSwitch = killSwitch;
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "remediator-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/health", ex -> {
      boolean ok = healthy.getAsBoolean();
      respond(ex, ok ? 200 : 503, ok ? "ok\n" : "not ready\n", "text/plain");
    });
    server.createContext("/metrics", ex -> respond(ex, 200, metrics.get(), "text/plain; version=0.0.4"));
    server.createContext("/approvals/", this::approval);
    server.createContext("/kill-switch", this::killSwitch);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private boolean authorized(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      respond(ex, 405, "use POST\n", "text/plain");
      return false;
    }
    if (token == null) {
      respond(ex, 403, "disabled: set remediator.approval.token to enable approvals over HTTP\n", "text/plain");
      return false;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    byte[] given = auth == null ? new byte[0] : auth.getBytes(StandardCharsets.UTF_8);
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected)) {
      respond(ex, 401, "missing or wrong bearer token\n", "text/plain");
      LOG.warn("rejected {} {} from {}: bad token", ex.getRequestMethod(), ex.getRequestURI().getPath(),
          ex.getRemoteAddress().getAddress().getHostAddress());
      return false;
    }
    return true;
  }

  private void approval(HttpExchange ex) throws IOException {
    if (!authorized(ex)) {
      return;
    }
    String commandId = ex.getRequestURI().getPath().substring("/approvals/".length());
    JsonNode body;
    try (InputStream in = ex.getRequestBody()) {
      body = JSON.readTree(in);
    } catch (IOException e) {
      respond(ex, 400, "body is not JSON: " + e.getMessage() + "\n", "text/plain");
      return;
    }
    String decision = body == null ? "" : body.path("decision").asText("");
    String actor = body == null ? "" : body.path("actor").asText("");
    if (commandId.isEmpty() || actor.isEmpty() || !(decision.equals("APPROVED") || decision.equals("DENIED"))) {
      respond(ex, 400, "expected /approvals/{commandId} with {\"decision\":\"APPROVED\"|\"DENIED\",\"actor\":...}\n",
          "text/plain");
      return;
    }
    AuditRecord r = AuditRecord.newBuilder()
        .setAuditId("approval:" + commandId + ":" + decision)
        .setIncidentId(commandId.contains("#") ? commandId.substring(0, commandId.lastIndexOf('#')) : commandId)
        .setDecision(AuditDecision.valueOf(decision))
        .setReason(body.path("reason").asText(""))
        .setCommandId(commandId)
        .setActor(actor)
        .setDecidedAt(clock.instant())
        .build();
    try {
      approvals.accept(r);
    } catch (RuntimeException e) {
      respond(ex, 503, "cannot record the approval: " + e.getMessage() + "\n", "text/plain");
      return;
    }
    LOG.info("approval received command={} decision={} actor={}", commandId, decision, actor);
    respond(ex, 202, "{\"commandId\":\"" + commandId + "\",\"decision\":\"" + decision + "\"}\n", "application/json");
  }

  private void killSwitch(HttpExchange ex) throws IOException {
    if (!authorized(ex)) {
      return;
    }
    JsonNode body;
    try (InputStream in = ex.getRequestBody()) {
      body = JSON.readTree(in);
    } catch (IOException e) {
      respond(ex, 400, "body is not JSON\n", "text/plain");
      return;
    }
    if (body == null || !body.path("on").isBoolean()) {
      respond(ex, 400, "expected {\"on\":true|false}\n", "text/plain");
      return;
    }
    boolean on = body.path("on").asBoolean();
    killSwitch.accept(on);
    LOG.warn("kill switch turned {} over HTTP", on ? "ON" : "off");
    respond(ex, 200, "{\"killSwitch\":" + on + "}\n", "application/json");
  }

  private static void respond(HttpExchange ex, int status, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
