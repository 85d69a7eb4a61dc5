package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RegistryExtension.class)
class RegistryExtensionITCase {

    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Point\",\"namespace\":\"io.autonomic.test\","
            + "\"fields\":[{\"name\":\"value\",\"type\":\"double\",\"doc\":\"the \\\"value\\\"\"}]}";
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void printStartupTime(TestRegistry registry) {
        if (!registry.external()) {
            System.out.println("[testkit] Apicurio Registry cold start (launch until /health/ready;"
                    + " overlaps the broker's start under @IntegrationStack): "
                    + RegistryExtension.lastStartupTime().toMillis() + " ms");
        }
    }

    @Test
    void theRegistryServesTheConfluentApiOnLoopback(TestRegistry registry) {
        if (!registry.external()) {
            assertThat(registry.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(RegistryExtension.registriesStartedInThisJvm()).isEqualTo(1);
        }
        assertThat(registry.ccompatUrl()).isEqualTo(registry.baseUrl() + "/apis/ccompat/v7");
    }

    @Test
    void listingSubjectsAnswersWithAJsonArray(TestRegistry registry) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + "/subjects"))
                .header("Accept", CONTENT_TYPE).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().trim()).startsWith("[").endsWith("]");
    }

    @Test
    void registeringASchemaReturnsAnIdThatTheRegistryServesBack(TestRegistry registry) throws Exception {
        String subject = registry.uniqueSubject("point") + "-value";

        HttpResponse<String> registered = post(registry.ccompatUrl() + "/subjects/" + subject + "/versions",
                "{\"schema\":" + HttpTestRegistry.jsonString(SCHEMA) + "}");
        assertThat(registered.statusCode()).isEqualTo(200);
        int id = id(registered.body());

        assertThat(id).isPositive();
        assertThat(registry.get("/subjects")).contains("\"" + subject + "\"");
        assertThat(registry.get("/schemas/ids/" + id)).contains("io.autonomic.test");
        assertThat(registry.registerAvroSchema(subject, SCHEMA))
                .as("registering the same schema again gives the same id").isEqualTo(id);
    }

    @Test
    void aNewSchemaVersionGetsANewId(TestRegistry registry) {
        String subject = registry.uniqueSubject("evolving") + "-value";
        int first = registry.registerAvroSchema(subject, "{\"type\":\"string\"}");

        int second = registry.registerAvroSchema(subject, "{\"type\":\"long\"}");

        assertThat(second).isNotEqualTo(first);
        assertThat(registry.get("/subjects/" + subject + "/versions")).isEqualTo("[1,2]");
    }

    @Test
    void theTestRegistryAllowsDeletingASubject(TestRegistry registry) throws Exception {
        String subject = registry.uniqueSubject("deleted") + "-value";
        registry.registerAvroSchema(subject, "{\"type\":\"string\"}");

        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(
                        URI.create(registry.ccompatUrl() + "/subjects/" + subject))
                .header("Accept", CONTENT_TYPE).DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("[1]");
        assertThat(registry.get("/subjects")).doesNotContain("\"" + subject + "\"");
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int id(String body) {
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(body);
        assertThat(m.find()).as("an id in " + body).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
