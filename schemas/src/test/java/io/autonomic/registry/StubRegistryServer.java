package io.autonomic.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A scripted HTTP server on 127.0.0.1 that records every request and answers with {@link #answer}. */
final class StubRegistryServer implements AutoCloseable {
  record Request(String method, String path, String contentType, String authorization, String body) {}

  record Reply(int status, String body) {
    static Reply json(int status, String body) {
      return new Reply(status, body);
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  volatile Function<Request, Reply> answer = r -> new Reply(500, "{\"error_code\":50001,\"message\":\"unscripted\"}");

  StubRegistryServer(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.start();
  }

  static StubRegistryServer start() throws IOException {
    return new StubRegistryServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
  }

  /** Base URL with the Apicurio-style path prefix, to prove the client keeps it. */
  String url() {
    String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String query = exchange.getRequestURI().getRawQuery();
    Request request = new Request(exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
        exchange.getRequestHeaders().getFirst("Content-Type"),
        exchange.getRequestHeaders().getFirst("Authorization"), body);
    requests.add(request);
    Reply reply = answer.apply(request);
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
