package io.autonomic.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.registry.RegistryException.Reason;
import io.autonomic.registry.StubRegistryServer.Reply;
import io.autonomic.registry.StubRegistryServer.Request;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema THING = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"io.autonomic.test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

  private StubRegistryServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = StubRegistryServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private HttpSchemaRegistryClient client(Object... extra) {
    return clientAt(server.url(), extra);
  }

  private static HttpSchemaRegistryClient clientAt(String url, Object... extra) {
    Map<String, Object> config = new HashMap<>();
    config.put(RegistryConfig.URL, url);
    config.put(RegistryConfig.RETRY_BACKOFF_MS, 10L);
    for (int i = 0; i < extra.length; i += 2) {
      config.put((String) extra[i], extra[i + 1]);
    }
    return new HttpSchemaRegistryClient(config);
  }

  @Test
  void shouldRegisterWithConfluentRequestUnderTheGivenBasePath() throws Exception {
    server.answer = r -> Reply.json(200, "{\"id\":7}");

    int id = client().register("telemetry.metrics-value", THING);

    assertThat(id).isEqualTo(7);
    Request request = server.requests.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/apis/ccompat/v7/subjects/telemetry.metrics-value/versions");
    assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    JsonNode body = JSON.readTree(request.body());
    assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(THING);
  }

  @Test
  void shouldCacheRegisteredIdsAndSchemasById() {
    server.answer = r -> Reply.json(200, "{\"id\":3}");
    HttpSchemaRegistryClient client = client();

    client.register("s-value", THING);
    client.register("s-value", THING);
    Schema byId = client.getSchemaById(3);

    assertThat(byId).isEqualTo(THING);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void shouldFetchSchemaByIdOnceAndParseIt() {
    server.answer = r -> Reply.json(200, JSON.createObjectNode().put("schema", THING.toString())
        .put("schemaType", "AVRO").set("references", JSON.createArrayNode()).toString());
    HttpSchemaRegistryClient client = client();

    assertThat(client.getSchemaById(5)).isEqualTo(THING);
    assertThat(client.getSchemaById(5)).isEqualTo(THING);
    assertThat(server.requests).extracting(Request::path).containsExactly("/apis/ccompat/v7/schemas/ids/5");
  }

  @Test
  void shouldEvictLeastRecentlyUsedSchemasBeyondCacheCapacity() {
    server.answer = r -> Reply.json(200, JSON.createObjectNode().put("schema", THING.toString()).toString());
    HttpSchemaRegistryClient client = client(RegistryConfig.CACHE_CAPACITY, 2);

    client.getSchemaById(1);
    client.getSchemaById(2);
    client.getSchemaById(3);
    client.getSchemaById(3);
    client.getSchemaById(1);

    assertThat(server.requests).extracting(Request::path).containsExactly("/apis/ccompat/v7/schemas/ids/1",
        "/apis/ccompat/v7/schemas/ids/2", "/apis/ccompat/v7/schemas/ids/3", "/apis/ccompat/v7/schemas/ids/1");
  }

  @Test
  void shouldNameUnknownSchemaIdAndQuoteTheRegistry() {
    server.answer = r -> Reply.json(404, "{\"message\":\"No content with ID '99' was found.\",\"error_code\":40403}");

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client().getSchemaById(99));

    assertThat(e.getMessage()).isEqualTo("schema id 99 not found in registry " + server.url()
        + ": No content with ID '99' was found. (error 40403)");
    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_NOT_FOUND);
    assertThat(e.errorCode()).isEqualTo(40403);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void shouldReportIncompatibleRegistrationWithTheRegistrysOwnMessage() {
    String said = "io.apicurio.registry.rules.RuleViolationException: Incompatible artifact: t-value [AVRO]";
    server.answer = r -> Reply.json(409, JSON.createObjectNode().put("message", said).put("error_code", 409)
        .toString());

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client().register("t-value", THING));

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
    assertThat(e.httpStatus()).isEqualTo(409);
    assertThat(e.registryMessage()).isEqualTo(said);
    assertThat(e.getMessage()).contains("register schema io.autonomic.test.Thing under subject 't-value'",
        server.url(), said, "HTTP 409");
    assertThat(server.requests).as("a 4xx answer is final").hasSize(1);
  }

  @Test
  void shouldReportSchemaNotRegisteredOnLookup() {
    server.answer = r -> Reply.json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client().getId("t-value", THING));

    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_NOT_FOUND);
    assertThat(e.getMessage()).startsWith("schema io.autonomic.test.Thing is not registered under subject 't-value'");
    assertThat(server.requests.get(0).path()).isEqualTo("/apis/ccompat/v7/subjects/t-value");
    assertThat(server.requests.get(0).method()).isEqualTo("POST");
  }

  @Test
  void shouldHintAtTheBaseUrlWhenA404IsNotTheRegistrysAnswer() {
    server.answer = r -> new Reply(404, "<html>Not Found</html>");

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client().register("t-value", THING));

    assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(e.getMessage()).contains("HTTP 404 for POST " + server.url() + "/subjects/t-value/versions",
        "schema.registry.url", "/apis/ccompat/v7");
  }

  @Test
  void shouldRejectANonJsonSuccessAsUnexpected() {
    server.answer = r -> new Reply(200, "<html>Apicurio Registry UI</html>");

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client().register("t-value", THING));

    assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE);
    assertThat(e.getMessage()).contains("not JSON", "<html>Apicurio Registry UI</html>", "/apis/ccompat/v7");
  }

  @Test
  void shouldRetryServerErrorsThenSucceed() {
    AtomicInteger attempts = new AtomicInteger();
    server.answer = r -> attempts.incrementAndGet() < 3 ? Reply.json(503, "{\"error_code\":50003,\"message\":\"busy\"}")
        : Reply.json(200, "{\"id\":1}");

    assertThat(client().register("t-value", THING)).isEqualTo(1);
    assertThat(server.requests).hasSize(3);
  }

  @Test
  void shouldGiveUpOnServerErrorsAfterMaxAttempts() {
    server.answer = r -> Reply.json(500, "{\"error_code\":50001,\"message\":\"Error in the backend datastore\"}");

    RegistryException e = catchThrowableOfType(RegistryException.class,
        () -> client(RegistryConfig.MAX_ATTEMPTS, 3).register("t-value", THING));

    assertThat(server.requests).hasSize(3);
    assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
    assertThat(e.httpStatus()).isEqualTo(500);
    assertThat(e.getMessage()).matches("schema registry at \\Q" + server.url() + "\\E failed to register schema "
        + "io.autonomic.test.Thing under subject 't-value': HTTP 500: Error in the backend datastore \\(error 50001\\)"
        + " after 3 attempts over \\d+\\.\\d s");
  }

  @Test
  void shouldNotRetryClientErrors() {
    server.answer = r -> Reply.json(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client().register("t-value", THING));

    assertThat(server.requests).hasSize(1);
    assertThat(e.reason()).isEqualTo(Reason.INVALID);
    assertThat(e.getMessage()).contains("Invalid schema (error 42201)");
  }

  @Test
  void shouldNameUrlAndAttemptsWhenConnectionIsRefused() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/apis/ccompat/v7";
    long started = System.nanoTime();

    RegistryException e = catchThrowableOfType(RegistryException.class,
        () -> clientAt(url, RegistryConfig.MAX_ATTEMPTS, 4, RegistryConfig.RETRY_BACKOFF_MS, 20L)
            .register("t-value", THING));

    assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(e.getMessage()).matches("schema registry unreachable at \\Q" + url + "\\E: connection refused "
        + "after 4 attempts over \\d+\\.\\d s \\(register schema io.autonomic.test.Thing under subject 't-value'\\)");
    // Backoff 20 + 40 + 80 ms between the four attempts.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(140);
  }

  @Test
  void shouldRetryAResponseTimeoutAndSayHowLongItWaited() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.answer = r -> {
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Reply.json(200, "{\"id\":1}");
    };
    try {
      RegistryException e = catchThrowableOfType(RegistryException.class, () -> client(RegistryConfig.MAX_ATTEMPTS, 2,
          RegistryConfig.REQUEST_TIMEOUT_MS, 150).register("t-value", THING));

      assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(e.getMessage()).contains("no response within 150 ms after 2 attempts");
    } finally {
      release.countDown();
    }
  }

  @Test
  void shouldSendBasicAuthFromUserInfo() {
    server.answer = r -> Reply.json(200, "{\"id\":1}");

    client(RegistryConfig.BASIC_AUTH_USER_INFO, "alice:s3cret").register("t-value", THING);

    assertThat(server.requests.get(0).authorization()).isEqualTo("Basic YWxpY2U6czNjcmV0"); // alice:s3cret
  }

  @Test
  void shouldTakeCredentialsFromTheUrlAndKeepThemOutOfMessages() {
    server.answer = r -> Reply.json(401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}");
    String url = server.url().replace("http://", "http://bob:hunter2@");
    HttpSchemaRegistryClient client = clientAt(url);

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client.register("t-value", THING));

    assertThat(server.requests.get(0).authorization()).isEqualTo("Basic Ym9iOmh1bnRlcjI="); // bob:hunter2
    assertThat(client.baseUrl()).isEqualTo(server.url());
    assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED);
    assertThat(e.getMessage()).contains("basic.auth.user.info").doesNotContain("hunter2");
  }

  @Test
  void shouldEncodeSubjectsAsOnePathSegment() {
    server.answer = r -> Reply.json(200, "{\"id\":1}");

    client().register("odd/subject name", THING);

    assertThat(server.requests.get(0).path()).isEqualTo("/apis/ccompat/v7/subjects/odd%2Fsubject%20name/versions");
  }

  @Test
  void shouldReadLatestVersion() {
    server.answer = r -> Reply.json(200, JSON.createObjectNode().put("subject", "t-value").put("version", 4)
        .put("id", 12).put("schema", THING.toString()).toString());

    RegisteredSchema latest = client().getLatestVersion("t-value");

    assertThat(latest).isEqualTo(new RegisteredSchema("t-value", 4, 12, THING));
    assertThat(server.requests.get(0).path()).isEqualTo("/apis/ccompat/v7/subjects/t-value/versions/latest");
  }

  @Test
  void shouldTestCompatibilityWithReasons() {
    server.answer = r -> Reply.json(200, "{\"is_compatible\":false,\"messages\":[\"field id removed\"]}");

    CompatibilityResult result = client().testCompatibility("t-value", THING);

    assertThat(result).isEqualTo(new CompatibilityResult(false, java.util.List.of("field id removed")));
    assertThat(server.requests.get(0).path())
        .isEqualTo("/apis/ccompat/v7/compatibility/subjects/t-value/versions/latest?verbose=true");
  }

  @Test
  void shouldSetSubjectCompatibilityWithPut() throws Exception {
    server.answer = r -> Reply.json(200, "{\"compatibility\":\"BACKWARD\"}");

    client().setCompatibility("t-value", CompatibilityLevel.BACKWARD);

    Request request = server.requests.get(0);
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.path()).isEqualTo("/apis/ccompat/v7/config/t-value");
    assertThat(JSON.readTree(request.body()).get("compatibility").asText()).isEqualTo("BACKWARD");
  }

  @Test
  void shouldFallBackToGlobalCompatibilityWhenSubjectHasNone() {
    server.answer = r -> r.path().contains("/config/") ? Reply.json(404, "{\"error_code\":40408,\"message\":\"none\"}")
        : Reply.json(200, "{\"compatibilityLevel\":\"FULL\"}");

    assertThat(client().getCompatibility("t-value")).isEqualTo(CompatibilityLevel.FULL);
    assertThat(server.requests).extracting(Request::path)
        .containsExactly("/apis/ccompat/v7/config/t-value?defaultToGlobal=true", "/apis/ccompat/v7/config");
  }

  @Test
  void shouldRefuseNonAvroSchemas() {
    server.answer = r -> Reply.json(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");

    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client().getSchemaById(4));

    assertThat(e.reason()).isEqualTo(Reason.INVALID);
    assertThat(e.getMessage()).contains("schema id 4", "PROTOBUF", "Avro only");
  }

  @Test
  void shouldExplainMissingUrl() {
    assertThatThrownBy(() -> new HttpSchemaRegistryClient(Map.of()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("schema.registry.url is not set")
        .hasMessageContaining("/apis/ccompat/v7");
    assertThatThrownBy(() -> clientAt("ftp://host/x")).hasMessageContaining("not an http or https URL");
  }
}
