package io.autonomic.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonomic.registry.RegistryException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, with the JDK's HTTP client. Works
 * with every registry that speaks that API (Confluent, Apicurio's {@code /apis/ccompat/v7}, Karapace,
 * Redpanda): the base URL is used as given.
 *
 * <p>Connection failures, timeouts and HTTP 5xx are retried with exponential backoff, a bounded number of
 * times; the registry's 4xx answers are final and reported with its own message and error code. Ids and
 * schemas are cached (they never change once registered); the latest version and compatibility are not.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
  /** The Confluent API's media type. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String authorization;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final long backoffMs;
  private final long backoffMaxMs;
  private final LruCache<SubjectSchema, Integer> ids;
  private final LruCache<Integer, Schema> schemas;

  private record SubjectSchema(String subject, Schema schema) {}

  private record Response(String method, String path, int status, String body) {}

  /** The registry's error body: {@code {"error_code": 40403, "message": "..."}}; -1 / null when absent. */
  private record RegistryError(int code, String message) {}

  /** A client configured from a Kafka-style map; see {@link RegistryConfig} for the keys. */
  public HttpSchemaRegistryClient(Map<String, ?> configs) {
    this(new RegistryConfig(configs));
  }

  /** A client configured from {@link RegistryConfig}. */
  public HttpSchemaRegistryClient(RegistryConfig config) {
    URI uri = parseUrl(config.getString(RegistryConfig.URL));
    String userInfo = config.password(RegistryConfig.BASIC_AUTH_USER_INFO);
    if (userInfo == null && uri.getRawUserInfo() != null) {
      userInfo = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
    }
    // Credentials never appear in messages: the printable base URL drops them.
    String url = uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst("^.*@", "")
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
    this.baseUrl = url.replaceAll("/+$", "");
    this.authorization = userInfo == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofMillis(config.getInt(RegistryConfig.CONNECT_TIMEOUT_MS)));
    SSLContext ssl = Tls.context(config);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
    this.requestTimeout = Duration.ofMillis(config.getInt(RegistryConfig.REQUEST_TIMEOUT_MS));
    this.maxAttempts = config.getInt(RegistryConfig.MAX_ATTEMPTS);
    this.backoffMs = config.getLong(RegistryConfig.RETRY_BACKOFF_MS);
    this.backoffMaxMs = config.getLong(RegistryConfig.RETRY_BACKOFF_MAX_MS);
    int capacity = config.getInt(RegistryConfig.CACHE_CAPACITY);
    this.ids = new LruCache<>(capacity);
    this.schemas = new LruCache<>(capacity);
  }

  /** The registry's base URL as requests use it, without credentials. */
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public int register(String subject, Schema schema) {
    return ids.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
      String op = "register schema " + schema.getFullName() + " under subject '" + subject + "'";
      JsonNode body = ok(op, send(op, "POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema)));
      int id = intField(op, body, "id");
      schemas.put(id, schema);
      return id;
    });
  }

  @Override
  public int getId(String subject, Schema schema) {
    return ids.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
      String op = "look up schema " + schema.getFullName() + " under subject '" + subject + "'";
      Response response = send(op, "POST", "/subjects/" + encode(subject), schemaBody(schema));
      RegistryError error = registryError(response);
      if (response.status() == 404 && error != null) {
        Reason reason = error.code() == 40401 ? Reason.SUBJECT_NOT_FOUND : Reason.SCHEMA_NOT_FOUND;
        String what = reason == Reason.SUBJECT_NOT_FOUND
            ? "subject '" + subject + "' does not exist in registry " + baseUrl
            : "schema " + schema.getFullName() + " is not registered under subject '" + subject + "' in registry "
                + baseUrl;
        throw new RegistryException(reason, what + registrySays(error), null, 404, error.code(), error.message());
      }
      int id = intField(op, ok(op, response), "id");
      schemas.put(id, schema);
      return id;
    });
  }

  @Override
  public Schema getSchemaById(int id) {
    return schemas.computeIfAbsent(id, key -> {
      String op = "get schema id " + id;
      Response response = send(op, "GET", "/schemas/ids/" + id, null);
      RegistryError error = registryError(response);
      if (response.status() == 404 && error != null) {
        throw new RegistryException(Reason.SCHEMA_NOT_FOUND,
            "schema id " + id + " not found in registry " + baseUrl + registrySays(error), null, 404, error.code(),
            error.message());
      }
      return schemaOf(op, "schema id " + id, ok(op, response));
    });
  }

  @Override
  public RegisteredSchema getLatestVersion(String subject) {
    String op = "get the latest version of subject '" + subject + "'";
    Response response = send(op, "GET", "/subjects/" + encode(subject) + "/versions/latest", null);
    RegistryError error = registryError(response);
    if (response.status() == 404 && error != null) {
      throw new RegistryException(error.code() == 40402 ? Reason.VERSION_NOT_FOUND : Reason.SUBJECT_NOT_FOUND,
          "subject '" + subject + "' has no versions in registry " + baseUrl + registrySays(error), null, 404,
          error.code(), error.message());
    }
    JsonNode body = ok(op, response);
    int id = intField(op, body, "id");
    Schema schema = schemaOf(op, "subject '" + subject + "'", body);
    schemas.put(id, schema);
    return new RegisteredSchema(subject, intField(op, body, "version"), id, schema);
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    String op = "test schema " + schema.getFullName() + " for compatibility with subject '" + subject + "'";
    JsonNode body = ok(op, send(op, "POST",
        "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true", schemaBody(schema)));
    JsonNode verdict = body.get("is_compatible");
    if (verdict == null || !verdict.isBoolean()) {
      throw unexpected(op, "no boolean is_compatible in " + abbreviate(body.toString()));
    }
    List<String> messages = new ArrayList<>();
    body.path("messages").forEach(m -> messages.add(m.asText()));
    return new CompatibilityResult(verdict.booleanValue(), messages);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    String op = "set compatibility " + level + " on subject '" + subject + "'";
    ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    ok(op, send(op, "PUT", "/config/" + encode(subject), body.toString()));
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    String op = "get the compatibility of subject '" + subject + "'";
    Response response = send(op, "GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null);
    if (response.status() == 404 && registryError(response) != null) {
      // Registries that ignore defaultToGlobal answer 404 for a subject without its own rule.
      op = "get the global compatibility";
      response = send(op, "GET", "/config", null);
    }
    JsonNode body = ok(op, response);
    String level = body.path("compatibilityLevel").asText(body.path("compatibility").asText(""));
    try {
      return CompatibilityLevel.valueOf(level);
    } catch (IllegalArgumentException e) {
      throw unexpected(op, "unknown compatibility level '" + level + "' in " + abbreviate(body.toString()));
    }
  }

  // --- HTTP -------------------------------------------------------------------------------------------------

  /**
   * Sends a request, retrying connection failures, timeouts and 5xx; returns any answer below 500.
   * {@code op} says what was being done, for messages.
   */
  private Response send(String op, String method, String path, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout)
        .header("Accept", CONTENT_TYPE + ", application/json;q=0.9");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpRequest request = builder.build();
    long start = System.nanoTime();
    long backoff = backoffMs;
    for (int attempt = 1; ; attempt++) {
      String failure;
      IOException cause = null;
      Response serverError = null;
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (answer.statusCode() < 500) {
          return new Response(method, path, answer.statusCode(), answer.body());
        }
        serverError = new Response(method, path, answer.statusCode(), answer.body());
        RegistryError error = registryError(serverError);
        failure = "HTTP " + answer.statusCode() + (error != null ? registrySays(error)
            : answer.body().isBlank() ? "" : ": '" + abbreviate(answer.body()) + "'");
      } catch (SSLException e) {
        // A TLS problem is configuration, not a transient failure: no retry.
        throw new RegistryException(Reason.TLS, "TLS handshake with schema registry " + baseUrl + " failed ("
            + op + "): " + e.getMessage() + "; check " + RegistryConfig.SSL_TRUSTSTORE_LOCATION
            + " (the registry's certificate must be trusted) and, if it asks for a client certificate, "
            + RegistryConfig.SSL_KEYSTORE_LOCATION, e);
      } catch (IOException e) {
        cause = e;
        failure = describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(Reason.UNREACHABLE, "interrupted while waiting for schema registry " + baseUrl
            + " (" + op + ")", e);
      }
      if (attempt >= maxAttempts) {
        String over = String.format(Locale.ROOT, " after %d attempt%s over %.1f s", attempt, attempt == 1 ? "" : "s",
            (System.nanoTime() - start) / 1e9);
        if (serverError != null) {
          RegistryError error = registryError(serverError);
          throw new RegistryException(Reason.SERVER_ERROR, "schema registry at " + baseUrl + " failed to " + op + ": "
              + failure + over, null, serverError.status(), error == null ? -1 : error.code(),
              error == null ? null : error.message());
        }
        throw new RegistryException(Reason.UNREACHABLE,
            "schema registry unreachable at " + baseUrl + ": " + failure + over + " (" + op + ")", cause);
      }
      LOG.debug("schema registry {}: {} (attempt {} of {}), retrying in {} ms", baseUrl, failure, attempt,
          maxAttempts, backoff);
      pause(backoff, op);
      backoff = Math.min(backoff * 2, backoffMaxMs);
    }
  }

  private void pause(long millis, String op) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(Reason.UNREACHABLE, "interrupted while retrying schema registry " + baseUrl
          + " (" + op + ")", e);
    }
  }

  /** The JSON body of a 2xx answer; any other answer becomes a RegistryException that says what the registry said. */
  private JsonNode ok(String op, Response response) {
    int status = response.status();
    if (status >= 200 && status < 300) {
      try {
        return JSON.readTree(response.body());
      } catch (JsonProcessingException e) {
        throw unexpected(op, "HTTP " + status + " with a body that is not JSON: '" + abbreviate(response.body())
            + "'; is " + RegistryConfig.URL + " the registry's API (for Apicurio: .../apis/ccompat/v7)?");
      }
    }
    RegistryError error = registryError(response);
    int code = error == null ? -1 : error.code();
    String message = error == null ? null : error.message();
    String said = registrySays(error);
    String prefix = op + " at " + baseUrl + " failed: ";
    Reason reason;
    String what;
    if (status == 401) {
      reason = Reason.UNAUTHORIZED;
      what = "unauthorized (HTTP 401); check " + RegistryConfig.BASIC_AUTH_USER_INFO;
    } else if (status == 403) {
      reason = Reason.FORBIDDEN;
      what = "forbidden (HTTP 403)";
    } else if (status == 404 && error == null) {
      reason = Reason.NOT_FOUND;
      what = "HTTP 404 for " + response.method() + " " + baseUrl + response.path() + "; is " + RegistryConfig.URL
          + " right? (Apicurio serves this API under /apis/ccompat/v7)";
    } else if (status == 404) {
      reason = code == 40401 ? Reason.SUBJECT_NOT_FOUND
          : code == 40402 ? Reason.VERSION_NOT_FOUND
          : code == 40403 ? Reason.SCHEMA_NOT_FOUND : Reason.NOT_FOUND;
      what = "not found (HTTP 404)";
    } else if (status == 409) {
      reason = Reason.INCOMPATIBLE;
      what = "incompatible with the subject's compatibility rule (HTTP 409)";
    } else if (status == 422 || status == 400) {
      reason = Reason.INVALID;
      what = "rejected as invalid (HTTP " + status + ")";
    } else {
      reason = Reason.UNEXPECTED_RESPONSE;
      what = "unexpected HTTP " + status + (error == null ? ": '" + abbreviate(response.body()) + "'" : "");
    }
    throw new RegistryException(reason, prefix + what + said, null, status, code, message);
  }

  /** Parses the registry's error body, or null when the body is not one. */
  private static RegistryError registryError(Response response) {
    if (response.status() < 400) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(response.body());
      if (node != null && node.isObject() && (node.has("error_code") || node.has("message"))) {
        return new RegistryError(node.path("error_code").asInt(-1), node.path("message").asText(null));
      }
    } catch (JsonProcessingException e) {
      // Not JSON: a proxy's or web server's page rather than the registry's answer.
    }
    return null;
  }

  private static String registrySays(RegistryError error) {
    if (error == null) {
      return "";
    }
    return ": " + (error.message() == null ? "(no message)" : error.message())
        + (error.code() >= 0 ? " (error " + error.code() + ")" : "");
  }

  private String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "no response within " + requestTimeout.toMillis() + " ms";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return "unknown host " + URI.create(baseUrl).getHost();
      }
    }
    String message = rootMessage(e);
    if (e instanceof ConnectException) {
      return message == null || message.toLowerCase(Locale.ROOT).contains("refused")
          ? "connection refused" : "cannot connect: " + message;
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String rootMessage(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  // --- JSON helpers -----------------------------------------------------------------------------------------

  private static String schemaBody(Schema schema) {
    // schemaType is left out: AVRO is the default, and older registries reject fields they do not know.
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private Schema schemaOf(String op, String what, JsonNode body) {
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      throw new RegistryException(Reason.INVALID, what + " in registry " + baseUrl + " is a " + type
          + " schema; this client reads Avro only", null);
    }
    if (body.path("references").size() > 0) {
      throw new RegistryException(Reason.INVALID, what + " in registry " + baseUrl
          + " uses schema references, which this client does not resolve", null);
    }
    JsonNode text = body.get("schema");
    if (text == null || !text.isTextual()) {
      throw unexpected(op, "no schema in " + abbreviate(body.toString()));
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new RegistryException(Reason.INVALID, what + " in registry " + baseUrl + " is not a valid Avro schema: "
          + e.getMessage(), e);
    }
  }

  private int intField(String op, JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw unexpected(op, "no integer " + field + " in " + abbreviate(body.toString()));
    }
    return value.intValue();
  }

  private RegistryException unexpected(String op, String detail) {
    return new RegistryException(Reason.UNEXPECTED_RESPONSE, op + " at " + baseUrl + ": " + detail, null);
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static URI parseUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new RegistryException(Reason.CONFIG, RegistryConfig.URL + " is not set: give the registry's base URL, "
          + "e.g. http://127.0.0.1:8081 (Confluent, Karapace, Redpanda) or http://127.0.0.1:8080/apis/ccompat/v7 "
          + "(Apicurio)", null);
    }
    if (url.contains(",")) {
      throw new RegistryException(Reason.CONFIG, RegistryConfig.URL + " lists several URLs ('" + url
          + "'); this client takes one: put a load balancer in front of several registries", null);
    }
    try {
      URI uri = new URI(url.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new URISyntaxException(url, "not an http or https URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new RegistryException(Reason.CONFIG, RegistryConfig.URL + " '" + url.replaceFirst("//[^/@]*@", "//")
          + "' is not valid: " + e.getReason(), e);
    }
  }
}
