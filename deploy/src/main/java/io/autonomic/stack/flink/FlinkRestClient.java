package io.autonomic.stack.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The few calls of Flink's REST API that submitting a job jar takes: the same ones {@code flink run} and an operator's
 * {@code curl} make (upload, run, poll, cancel), so a job that starts here starts on any Flink 2 cluster. JDK HTTP
 * client and Jackson, rather than Flink's RestClusterClient, so the launcher needs no Flink client configuration and
 * every failure becomes one message naming the URL.
 */
public final class FlinkRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http;
  private final Duration requestTimeout;

  public FlinkRestClient(String baseUrl) {
    this(baseUrl, Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  /**
   * @param connectTimeout how long to wait for a connection before saying no cluster answers
   * @param requestTimeout how long one call may take (a jar run builds the job graph on the JobManager: seconds)
   */
  public FlinkRestClient(String baseUrl, Duration connectTimeout, Duration requestTimeout) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    this.requestTimeout = requestTimeout;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The cluster at a glance: {@code GET /overview}. */
  public Overview overview() {
    JsonNode n = call("read the cluster overview", get("/overview"));
    return new Overview(n.path("taskmanagers").asInt(), n.path("slots-total").asInt(),
        n.path("slots-available").asInt(), n.path("jobs-running").asInt(), n.path("flink-version").asText(""));
  }

  /** True when the web UI's page is served (flink-runtime-web is on the JobManager's classpath). */
  public boolean webUiAnswers() {
    try {
      HttpResponse<String> r = http.send(get("/").build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("<html");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code POST /jars/upload}: returns the jar's id on the cluster. */
  public String uploadJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new FlinkRestException("job jar not found: " + jar);
    }
    String boundary = "----autonomic" + UUID.randomUUID().toString().replace("-", "");
    byte[] body;
    try {
      body = multipartJar(boundary, jar.getFileName().toString(), Files.readAllBytes(jar));
    } catch (IOException e) {
      throw new FlinkRestException("cannot read the job jar " + jar + ": " + e.getMessage());
    }
    HttpRequest.Builder req = request("/jars/upload")
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    JsonNode n = call("upload " + jar.getFileName(), req);
    String filename = n.path("filename").asText("");
    if (!"success".equals(n.path("status").asText()) || filename.isEmpty()) {
      throw new FlinkRestException("upload of " + jar.getFileName() + " to " + baseUrl + " was not accepted: " + n);
    }
    return filename.substring(filename.lastIndexOf('/') + 1);
  }

  /** {@code POST /jars/:id/run}: runs the main class on the JobManager and returns the job id it submitted. */
  public String runJar(String jarId, String entryClass, List<String> programArgs) {
    ObjectNode body = JSON.createObjectNode();
    if (entryClass != null) {
      body.put("entryClass", entryClass);
    }
    programArgs.forEach(body.putArray("programArgsList")::add);
    HttpRequest.Builder req = request("/jars/" + jarId + "/run")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    JsonNode n = call("run the job jar", req);
    String jobId = n.path("jobid").asText("");
    if (jobId.isEmpty()) {
      throw new FlinkRestException("the cluster at " + baseUrl + " ran the jar but returned no job id: " + n);
    }
    return jobId;
  }

  /** {@code DELETE /jars/:id}: the uploaded copy is no longer needed once the job runs. */
  public void deleteJar(String jarId) {
    call("delete the uploaded jar", request("/jars/" + jarId).DELETE());
  }

  /** {@code GET /jobs/:id}: the job's state and each vertex's. */
  public JobStatus job(String jobId) {
    JsonNode n = call("read job " + jobId, get("/jobs/" + jobId));
    List<String> vertices = new ArrayList<>();
    n.path("vertices").forEach(v -> vertices.add(v.path("status").asText()));
    return new JobStatus(jobId, n.path("name").asText(""), n.path("state").asText("UNKNOWN"), vertices);
  }

  /** The newest failure of the job from {@code GET /jobs/:id/exceptions}: its first lines, if there is one. */
  public Optional<String> rootException(String jobId) {
    JsonNode n = call("read the exceptions of job " + jobId, get("/jobs/" + jobId + "/exceptions?maxExceptions=1"));
    JsonNode entries = n.path("exceptionHistory").path("entries");
    String trace = entries.isArray() && !entries.isEmpty() ? entries.get(0).path("stacktrace").asText("")
        : n.path("root-exception").asText("");
    return trace.isBlank() ? Optional.empty() : Optional.of(causes(trace));
  }

  /** {@code PATCH /jobs/:id?mode=cancel}. */
  public void cancel(String jobId) {
    call("cancel job " + jobId, request("/jobs/" + jobId + "?mode=cancel")
        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(requestTimeout);
  }

  private JsonNode call(String what, HttpRequest.Builder request) {
    HttpRequest req = request.build();
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new FlinkRestException("no Flink cluster answers at " + baseUrl + " (" + what + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + "); start one with ./autonomic up --flink, or pass --flink-url");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkRestException("interrupted while trying to " + what + " at " + baseUrl);
    }
    if (r.statusCode() / 100 != 2) {
      throw new FlinkRestException("could not " + what + " at " + req.uri() + ": HTTP " + r.statusCode()
          + errorText(r.body()));
    }
    try {
      return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new FlinkRestException("could not " + what + " at " + req.uri() + ": the answer is not JSON: "
          + abbreviate(r.body(), 200));
    }
  }

  /** Flink answers errors as {@code {"errors": ["...stack trace..."]}}: keep each one's chain of causes. */
  static String errorText(String body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        List<String> parts = new ArrayList<>();
        errors.forEach(e -> parts.add(causes(e.asText())));
        return ": " + String.join("; ", parts);
      }
    } catch (IOException notJson) {
      // fall through to the raw text
    }
    return body.isBlank() ? "" : ": " + abbreviate(body, 300);
  }

  /** A Java stack trace shortened to its first line and its "Caused by:" lines, the part an operator acts on. */
  static String causes(String trace) {
    List<String> lines = new ArrayList<>();
    String[] all = trace.split("\\R");
    lines.add(all[0].trim());
    for (String line : all) {
      String t = line.trim();
      if (t.startsWith("Caused by: ")) {
        lines.add(t);
      }
    }
    return abbreviate(String.join(" <- ", lines), 1500);
  }

  private static String abbreviate(String s, int max) {
    String t = s.strip();
    return t.length() <= max ? t : t.substring(0, max) + "...";
  }

  /**
   * A one-part multipart/form-data body. The JDK client has no multipart publisher and one file part is all
   * Flink's upload handler reads, so a library would add a dependency for a dozen lines.
   */
  static byte[] multipartJar(String boundary, String fileName, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
    String head = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + fileName.replace("\"", "") + "\"\r\n"
        + "Content-Type: application/x-java-archive\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.UTF_8));
    out.write(content);
    out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** {@code GET /overview}. */
  public record Overview(int taskManagers, int slotsTotal, int slotsAvailable, int jobsRunning, String flinkVersion) {}

  /** {@code GET /jobs/:id}: the job state and the states of its vertices. */
  public record JobStatus(String jobId, String name, String state, List<String> vertexStates) {
    /** The job runs and every task was deployed and started: data flows. */
    public boolean fullyRunning() {
      return "RUNNING".equals(state) && !vertexStates.isEmpty()
          && vertexStates.stream().allMatch("RUNNING"::equals);
    }

    /** A state the job does not leave by itself. */
    public boolean terminal() {
      return List.of("FAILED", "CANCELED", "FINISHED", "SUSPENDED").contains(state);
    }
  }
}
