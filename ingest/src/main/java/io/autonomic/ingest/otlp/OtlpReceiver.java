package io.autonomic.ingest.otlp;

import com.google.protobuf.CodedOutputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.delivery.TelemetrySink;
import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.ingest.normalize.OtlpDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP receiver: {@code POST /v1/metrics} and {@code /v1/logs}, protobuf or JSON, gzip or not, for
 * OpenTelemetry SDKs and Collectors sending straight to Autonomic (default port 4318).
 *
 * <p>Answers as the OTLP spec says: 200 with an empty Export*ServiceResponse in the request's encoding;
 * 400 with a {@code google.rpc.Status} whose message names the problem for a malformed body; 401
 * without the configured bearer token; 404, 405, 413, 415 for a wrong path, method, size or type.
 *
 * <p>Why the JDK's {@code com.sun.net.httpserver} (and HttpsServer for TLS) rather than Netty or
 * Jetty: two endpoints of one POST each need no framework, it adds no dependency to the agent, and
 * a small pool of worker threads is plenty for an agent (a busy Collector batches its exports).
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpReceiver.class);
  public static final String COLLECTOR = "otlp";

  /** Where and how to listen; {@code keystore} null for plain HTTP, {@code token} null for no authentication. */
  public record Settings(String host, int port, String token, Path keystore, String keystorePassword, int maxBodyBytes) {}

  private final OtlpDecoder decoder;
  private final TelemetrySink sink;
  private final Settings settings;
  private final HttpServer server;
  private final ExecutorService workers;
  private final LongAdder rejected = new LongAdder();
  private final LongAdder unauthorized = new LongAdder();

  public OtlpReceiver(OtlpDecoder decoder, TelemetrySink sink, Settings settings) throws IOException {
    this.decoder = decoder;
    this.sink = sink;
    this.settings = settings;
    InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
    if (settings.keystore() != null) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(sslContext(settings.keystore(), settings.keystorePassword())));
      server = https;
    } else {
      server = HttpServer.create(address, 64);
    }
    server.createContext("/v1/metrics", exchange -> handle(exchange, true));
    server.createContext("/v1/logs", exchange -> handle(exchange, false));
    server.createContext("/", exchange -> {
      respond(exchange, 404, Optional.empty(), "unknown path " + exchange.getRequestURI().getPath()
          + "; OTLP/HTTP takes POST /v1/metrics and /v1/logs");
    });
    workers = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(workers);
  }

  public void start() {
    server.start();
    LOG.info("OTLP/HTTP receiver listening on {}://{}:{} (auth: {})", settings.keystore() != null ? "https" : "http",
        settings.host(), port(), settings.token() != null ? "bearer token" : "none");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests refused with 4xx (malformed, too large, wrong type). */
  public long rejectedRequests() {
    return rejected.sum();
  }

  public long unauthorizedRequests() {
    return unauthorized.sum();
  }

  private void handle(HttpExchange exchange, boolean metrics) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, 405, Optional.empty(), "use POST");
        return;
      }
      if (settings.token() != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        unauthorized.increment();
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        respond(exchange, 401, Optional.empty(), "missing or wrong bearer token");
        return;
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      Optional<OtlpDecoder.Format> format = OtlpDecoder.Format.ofContentType(contentType);
      if (format.isEmpty()) {
        rejected.increment();
        respond(exchange, 415, Optional.empty(), "unsupported Content-Type '" + contentType
            + "'; use application/x-protobuf or application/json");
        return;
      }
      byte[] body;
      try {
        body = read(exchange);
      } catch (TooLarge e) {
        rejected.increment();
        respond(exchange, 413, format, "request body larger than " + settings.maxBodyBytes() + " bytes");
        return;
      } catch (IOException e) {
        rejected.increment();
        respond(exchange, 400, format, "cannot read the request body: " + e.getMessage());
        return;
      }
      try {
        if (metrics) {
          List<MetricPoint> points = decoder.decodeMetrics(body, format.get());
          points.forEach(p -> sink.metric(COLLECTOR, p));
        } else {
          List<LogRecord> logs = decoder.decodeLogs(body, format.get());
          logs.forEach(r -> sink.log(COLLECTOR, r));
        }
      } catch (MalformedTelemetryException e) {
        rejected.increment();
        LOG.debug("rejected OTLP request from {}: {}", exchange.getRemoteAddress(), e.getMessage());
        respond(exchange, 400, format, e.getMessage());
        return;
      }
      byte[] ok = format.get() == OtlpDecoder.Format.JSON ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
      exchange.getResponseHeaders().set("Content-Type", contentTypeOf(format.get()));
      exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
      if (ok.length > 0) {
        exchange.getResponseBody().write(ok);
      }
    } catch (RuntimeException e) {
      LOG.warn("OTLP request failed: {}", e.toString());
      respond(exchange, 500, Optional.empty(), "internal error: " + e.getMessage());
    }
  }

  private boolean authorized(String header) {
    if (header == null) {
      return false;
    }
    byte[] expected = ("Bearer " + settings.token()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8));
  }

  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  private byte[] read(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
      in = new GZIPInputStream(in);
    } else if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      throw new IOException("unsupported Content-Encoding '" + encoding + "' (gzip or none)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      if (out.size() > settings.maxBodyBytes()) {
        throw new TooLarge();
      }
    }
    return out.toByteArray();
  }

  private static String contentTypeOf(OtlpDecoder.Format f) {
    return f == OtlpDecoder.Format.JSON ? "application/json" : "application/x-protobuf";
  }

  /** An error as a google.rpc.Status (code 3 INVALID_ARGUMENT etc.) in the request's encoding, else plain text. */
  private static void respond(HttpExchange exchange, int status, Optional<OtlpDecoder.Format> format, String message)
      throws IOException {
    int grpcCode = switch (status) {
      case 400 -> 3;
      case 401 -> 16;
      case 404 -> 5;
      case 413 -> 11;
      default -> 2;
    };
    byte[] body;
    String type;
    if (format.isPresent() && format.get() == OtlpDecoder.Format.PROTOBUF) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      coded.writeInt32(1, grpcCode);
      coded.writeString(2, message);
      coded.flush();
      body = out.toByteArray();
      type = "application/x-protobuf";
    } else if (format.isPresent()) {
      body = ("{\"code\":" + grpcCode + ",\"message\":" + jsonString(message) + "}").getBytes(StandardCharsets.UTF_8);
      type = "application/json";
    } else {
      body = (message + "\n").getBytes(StandardCharsets.UTF_8);
      type = "text/plain; charset=utf-8";
    }
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static String jsonString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static SSLContext sslContext(Path keystore, String password) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      char[] pw = password == null ? new char[0] : password.toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, pw);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load the OTLP receiver keystore " + keystore + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    server.stop(1);
    workers.shutdownNow();
  }
}
