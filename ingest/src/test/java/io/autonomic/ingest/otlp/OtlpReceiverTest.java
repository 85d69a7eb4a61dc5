package io.autonomic.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.ingest.normalize.Normalizer;
import io.autonomic.ingest.normalize.OtlpDecoder;
import io.autonomic.ingest.testing.RecordingSink;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpReceiverTest {
  @TempDir
  Path tmp;

  private final RecordingSink sink = new RecordingSink();
  private final OtlpDecoder decoder = new OtlpDecoder(new Normalizer("agent:test", "agent-host",
      CardinalityGuard.unlimited()), Clock.systemUTC());
  private final HttpClient http = HttpClient.newHttpClient();
  private OtlpReceiver receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
  }

  private OtlpReceiver start(String token) throws Exception {
    receiver = new OtlpReceiver(decoder, sink, new OtlpReceiver.Settings("127.0.0.1", 0, token, null, null, 1 << 20));
    receiver.start();
    return receiver;
  }

  private static byte[] gaugeRequest() {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue("cart"))))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("queue.depth")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                .setTimeUnixNano(1_764_129_600_000_000_000L).setAsInt(7)))))).build().toByteArray();
  }

  private HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port() + path))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = OtlpReceiverTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void acceptsProtobufMetrics() throws Exception {
    start(null);
    HttpResponse<String> response = post("/v1/metrics", "application/x-protobuf", gaugeRequest());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/x-protobuf");
    assertThat(sink.named("queue.depth")).singleElement().satisfies(p -> {
      assertThat(p.getValue()).isEqualTo(7.0);
      assertThat(p.getEntityId()).isEqualTo("cart");
    });
    assertThat(sink.collectors).containsOnly("otlp");
  }

  @Test
  void acceptsGzippedJsonLogsAsTheCollectorSendsThem() throws Exception {
    start(null);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(resource("/otlp/logs-collector.json"));
    }
    HttpResponse<String> response = post("/v1/logs", "application/json", gz.toByteArray(), "Content-Encoding", "gzip");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{}");
    assertThat(sink.logs).hasSize(2);
  }

  @Test
  void aMalformedRequestGets400WithTheReason() throws Exception {
    start(null);
    HttpResponse<String> json = post("/v1/metrics", "application/json", "{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8));
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.body()).startsWith("{\"code\":3,\"message\":\"not OTLP JSON: ");
    byte[] request = gaugeRequest();
    HttpResponse<String> truncated = post("/v1/metrics", "application/x-protobuf",
        java.util.Arrays.copyOf(request, request.length - 3));
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(truncated.body()).contains("truncated protobuf: ");
    assertThat(receiver.rejectedRequests()).isEqualTo(2);
    assertThat(sink.metrics).isEmpty();
  }

  @Test
  void wrongTypePathAndMethodAreRefused() throws Exception {
    start(null);
    assertThat(post("/v1/metrics", "text/plain", new byte[] {1}).statusCode()).isEqualTo(415);
    assertThat(post("/v1/traces", "application/x-protobuf", new byte[0]).statusCode()).isEqualTo(404);
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port()
        + "/v1/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void withATokenRequestsWithoutItGet401() throws Exception {
    start("s3cret");
    assertThat(post("/v1/metrics", "application/x-protobuf", gaugeRequest()).statusCode()).isEqualTo(401);
    assertThat(post("/v1/metrics", "application/x-protobuf", gaugeRequest(), "Authorization", "Bearer wrong")
        .statusCode()).isEqualTo(401);
    assertThat(post("/v1/metrics", "application/x-protobuf", gaugeRequest(), "Authorization", "Bearer s3cret")
        .statusCode()).isEqualTo(200);
    assertThat(receiver.unauthorizedRequests()).isEqualTo(2);
    assertThat(sink.metrics).hasSize(1);
  }

  @Test
  void servesHttpsWithAKeystore() throws Exception {
    Path keystore = tmp.resolve("otlp.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "otlp", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    receiver = new OtlpReceiver(decoder, sink, new OtlpReceiver.Settings("127.0.0.1", 0, null, keystore, "changeit",
        1 << 20));
    receiver.start();
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    HttpClient https = HttpClient.newBuilder().sslContext(trustAll).build();
    HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + receiver.port()
        + "/v1/metrics")).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(gaugeRequest())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(sink.metrics).hasSize(1);
  }
}
