package io.autonomic.stack.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The submit client's error handling against a fake Flink REST endpoint (JDK HTTP server). */
class FlinkRestClientTest {
  private HttpServer server;
  private final Map<String, String[]> routes = new ConcurrentHashMap<>();
  private final List<String> requests = new ArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void unreachableClusterIsReportedWithItsUrl() throws Exception {
    String url = "http://127.0.0.1:" + closedPort();
    FlinkJobSubmitter submitter = new FlinkJobSubmitter(new FlinkRestClient(url), new PrintWriter(new StringWriter()));

    assertThatThrownBy(() -> submitter.submit(Path.of("x-job.jar"), "Main", List.of(), Duration.ofSeconds(5)))
        .isInstanceOf(FlinkRestException.class)
        .hasMessageStartingWith("no Flink cluster answers at " + url)
        .hasMessageContaining("./autonomic up --flink");
  }

  @Test
  void rejectedRunNamesTheUrlAndTheRootCause(@TempDir Path tmp) throws Exception {
    start();
    route("/overview", 200, "{\"taskmanagers\":1,\"slots-total\":2,\"slots-available\":2,\"jobs-running\":0}");
    route("/jars/upload", 200, "{\"filename\":\"/tmp/web/abc_job.jar\",\"status\":\"success\"}");
    route("/jars/abc_job.jar/run", 500, "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException:"
        + " Could not execute application.\\n\\tat x.y(Z.java:1)\\nCaused by: java.lang.IllegalArgumentException:"
        + " unknown argument '--bogus'\\n\\tat a.b(C.java:2)\"]}");
    route("/jars/abc_job.jar", 200, "{}");
    Path jar = Files.write(tmp.resolve("x-job.jar"), new byte[] {1, 2, 3});

    assertThatThrownBy(() -> submitter().submit(jar, "Main", List.of("--bogus"), Duration.ofSeconds(5)))
        .isInstanceOf(FlinkRestException.class)
        .hasMessageContaining("could not run the job jar at " + baseUrl() + "/jars/abc_job.jar/run: HTTP 500")
        .hasMessageContaining("Caused by: java.lang.IllegalArgumentException: unknown argument '--bogus'")
        .hasMessageNotContaining("\tat ");
    assertThat(requests).contains("DELETE /jars/abc_job.jar");
  }

  @Test
  void failedJobIsReportedWithItsException(@TempDir Path tmp) throws Exception {
    start();
    route("/overview", 200, "{\"taskmanagers\":1}");
    route("/jars/upload", 200, "{\"filename\":\"/tmp/web/abc_job.jar\",\"status\":\"success\"}");
    route("/jars/abc_job.jar/run", 200, "{\"jobid\":\"0123\"}");
    route("/jars/abc_job.jar", 200, "{}");
    route("/jobs/0123", 200, "{\"name\":\"autonomic-detector\",\"state\":\"FAILED\",\"vertices\":[]}");
    route("/jobs/0123/exceptions", 200, "{\"exceptionHistory\":{\"entries\":[{\"stacktrace\":"
        + "\"org.apache.flink.runtime.JobException: Recovery is suppressed\\nCaused by: "
        + "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node\"}]}}");
    Path jar = Files.write(tmp.resolve("x-job.jar"), new byte[] {1});

    assertThatThrownBy(() -> submitter().submit(jar, "Main", List.of(), Duration.ofSeconds(5)))
        .isInstanceOf(FlinkRestException.class)
        .hasMessageContaining("job 0123 is FAILED instead of RUNNING")
        .hasMessageContaining("TimeoutException: Timed out waiting for a node");
  }

  @Test
  void submitReturnsOnceEveryTaskRuns(@TempDir Path tmp) throws Exception {
    start();
    route("/overview", 200, "{\"taskmanagers\":1}");
    route("/jars/upload", 200, "{\"filename\":\"/tmp/web/abc_job.jar\",\"status\":\"success\"}");
    route("/jars/abc_job.jar/run", 200, "{\"jobid\":\"0123\"}");
    route("/jars/abc_job.jar", 200, "{}");
    route("/jobs/0123", 200, "{\"name\":\"autonomic-detector\",\"state\":\"RUNNING\","
        + "\"vertices\":[{\"status\":\"RUNNING\"},{\"status\":\"RUNNING\"}]}");
    Path jar = Files.write(tmp.resolve("x-job.jar"), "jar-bytes".getBytes(StandardCharsets.UTF_8));

    FlinkJobSubmitter.SubmittedJob job = submitter().submit(jar, "Main", List.of("--set", "a=b"),
        Duration.ofSeconds(5));

    assertThat(job.jobId()).isEqualTo("0123");
    assertThat(job.webUiUrl()).isEqualTo(baseUrl() + "/#/job/running/0123/overview");
    assertThat(requests).containsSubsequence("POST /jars/upload", "POST /jars/abc_job.jar/run",
        "DELETE /jars/abc_job.jar", "GET /jobs/0123");
  }

  @Test
  void clusterWithoutTaskManagerIsRefusedBeforeUploading() throws Exception {
    start();
    route("/overview", 200, "{\"taskmanagers\":0}");

    assertThatThrownBy(() -> submitter().submit(Path.of("x-job.jar"), "Main", List.of(), Duration.ofSeconds(5)))
        .hasMessageContaining("has no TaskManager");
    assertThat(requests).containsExactly("GET /overview");
  }

  @Test
  void stackTracesShrinkToTheirCauses() {
    String trace = "a.B: top\n\tat x(Y.java:1)\nCaused by: c.D: middle\n\tat z\nCaused by: e.F: root";

    assertThat(FlinkRestClient.causes(trace)).isEqualTo("a.B: top <- Caused by: c.D: middle <- Caused by: e.F: root");
    assertThat(FlinkRestClient.errorText("not json")).isEqualTo(": not json");
  }

  @Test
  void multipartBodyCarriesTheJarAsTheJarfilePart() throws Exception {
    String body = new String(FlinkRestClient.multipartJar("BND", "a-job.jar", "XYZ".getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);

    assertThat(body).startsWith("--BND\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"a-job.jar\"")
        .contains("\r\n\r\nXYZ\r\n--BND--\r\n");
  }

  private FlinkJobSubmitter submitter() {
    return new FlinkJobSubmitter(new FlinkRestClient(baseUrl()), new PrintWriter(new StringWriter()),
        java.time.Clock.systemUTC(), Duration.ofMillis(10));
  }

  private void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      synchronized (requests) {
        requests.add(exchange.getRequestMethod() + " " + path);
      }
      exchange.getRequestBody().readAllBytes();
      String[] r = routes.getOrDefault(path, new String[] {"404", "{\"errors\":[\"Not found: " + path + "\"]}"});
      byte[] bytes = r[1].getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(Integer.parseInt(r[0]), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  private void route(String path, int status, String body) {
    routes.put(path, new String[] {Integer.toString(status), body});
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
