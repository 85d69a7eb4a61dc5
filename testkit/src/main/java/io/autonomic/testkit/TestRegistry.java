package io.autonomic.testkit;

/**
 * A real schema registry with the Confluent-compatible REST API, shared by the test classes of one JVM.
 * Injected by {@link RegistryExtension}. Use {@link #uniqueSubject(String)} so test classes do not
 * collide.
 */
public interface TestRegistry {

    /** {@code http://127.0.0.1:PORT/apis/ccompat/v7}: the URL a Confluent-compatible client or serde takes. */
    String ccompatUrl();

    /** {@code http://127.0.0.1:PORT}: the registry's root (Apicurio's own API is under {@code /apis/registry/v3}). */
    String baseUrl();

    /** True when it came from {@code AUTONOMIC_TEST_REGISTRY_URL} rather than being started by the test kit. */
    boolean external();

    /**
     * Registers an Avro schema under {@code subject} (POST {@code /subjects/{subject}/versions}).
     *
     * @return the schema id the registry assigned
     * @throws IllegalStateException on any answer but 200, with the status and body
     */
    int registerAvroSchema(String subject, String schema);

    /**
     * GET {@code ccompatUrl() + path} (e.g. {@code "/subjects"}).
     *
     * @return the response body
     * @throws IllegalStateException on any answer but 200, with the status and body
     */
    String get(String path);

    /** A subject name no other test uses, e.g. {@code uniqueSubject("metrics") + "-value"}. */
    default String uniqueSubject(String prefix) {
        return UniqueNames.next(prefix);
    }
}
