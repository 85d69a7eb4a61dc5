package io.autonomic.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link TestRegistry} over the JDK HTTP client, for any Confluent-compatible registry. */
final class HttpTestRegistry implements TestRegistry {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final boolean external;

    HttpTestRegistry(String baseUrl, boolean external) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.external = external;
    }

    /** Accepts a registry root ({@code http://h:p}) or its ccompat URL ({@code http://h:p/apis/ccompat/v7}). */
    static HttpTestRegistry fromUrl(String url, boolean external) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith(ApicurioRegistryProcess.CCOMPAT_PATH)) {
            u = u.substring(0, u.length() - ApicurioRegistryProcess.CCOMPAT_PATH.length());
        }
        return new HttpTestRegistry(u, external);
    }

    @Override
    public String ccompatUrl() {
        return baseUrl + ApicurioRegistryProcess.CCOMPAT_PATH;
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public boolean external() {
        return external;
    }

    @Override
    public int registerAvroSchema(String subject, String schema) {
        String body = "{\"schema\":" + jsonString(schema) + "}";
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(ccompatUrl() + "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20") + "/versions"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String answer = send(request);
        Matcher m = ID.matcher(answer);
        if (!m.find()) {
            throw new IllegalStateException("No id in the registry's answer to registering " + subject + ": " + answer);
        }
        return Integer.parseInt(m.group(1));
    }

    @Override
    public String get(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return send(HttpRequest.newBuilder(URI.create(ccompatUrl() + p)).timeout(TIMEOUT)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET().build());
    }

    private static String send(HttpRequest request) {
        try {
            HttpResponse<String> response = ApicurioRegistryProcess.http()
                    .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + request.method() + " " + request.uri(), e);
        }
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return (external ? "external registry " : "registry ") + baseUrl;
    }
}
