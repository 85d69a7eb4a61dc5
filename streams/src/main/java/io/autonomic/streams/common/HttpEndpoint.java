package io.autonomic.streams.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The apps' HTTP endpoint (JDK HttpServer): /metrics, /health, and the query routes the apps add. */
public final class HttpEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

  /** An answer: status, content type and body. */
  public record Reply(int status, String contentType, String body) {
    public static Reply json(int status, String body) {
      return new Reply(status, "application/json", body);
    }

    public static Reply text(int status, String body) {
      return new Reply(status, "text/plain; charset=utf-8", body);
    }
  }

  /** A route: the path below its prefix and the query parameters in, a reply out. */
  @FunctionalInterface
  public interface Route {
    Reply handle(String subPath, Map<String, String> query) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "streams-http");
    t.setDaemon(true);
    return t;
  });

  public HttpEndpoint(String host, int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.setExecutor(executor);
  }

  /** Serves {@code prefix} and everything below it with {@code route} (GET only). */
  public HttpEndpoint route(String prefix, Route route) {
    server.createContext(prefix, handler(prefix, route));
    return this;
  }

  public void start() {
    server.start();
    LOG.info("http endpoint listening on {}", server.getAddress());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static HttpHandler handler(String prefix, Route route) {
    return exchange -> {
      Reply reply;
      try {
        if (!exchange.getRequestMethod().equals("GET")) {
          reply = Reply.text(405, "only GET is served\n");
        } else {
          String path = exchange.getRequestURI().getPath();
          String sub = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
          reply = route.handle(sub.startsWith("/") ? sub.substring(1) : sub, query(exchange));
        }
      } catch (Exception e) {
        reply = Reply.text(500, e.getClass().getSimpleName() + ": " + e.getMessage() + "\n");
      }
      send(exchange, reply);
    };
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
