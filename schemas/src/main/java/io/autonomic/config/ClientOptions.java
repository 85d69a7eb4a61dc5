package io.autonomic.config;

import static io.autonomic.config.ConfigOption.bool;
import static io.autonomic.config.ConfigOption.secret;
import static io.autonomic.config.ConfigOption.string;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one config section every Autonomic app shares: how to reach Kafka and the schema registry.
 *
 * <p>{@code kafka.*} is passed through to every Kafka client the project creates (producers,
 * consumers, Streams, Flink's connectors), so any standard client setting works there: SASL_SSL with
 * SCRAM or PLAIN, mTLS, truststores. The keys below are the common ones, declared so that they are
 * documented and checked; others under {@code kafka.} pass through unchecked.
 *
 * <pre>
 * kafka:
 *   bootstrap.servers: broker-1:9093
 *   security.protocol: SASL_SSL
 *   sasl.mechanism: SCRAM-SHA-512
 *   sasl.jaas.config: ${file:/run/secrets/kafka-jaas}
 *   ssl.truststore.location: /etc/autonomic/truststore.p12
 *   ssl.truststore.password: ${env:TRUSTSTORE_PASSWORD}
 * registry:
 *   url: https://registry:8081
 *   basic.auth.user.info: ${env:REGISTRY_USER_INFO}
 * </pre>
 */
public final class ClientOptions {
  private ClientOptions() {}

  public static final String KAFKA = "kafka";
  public static final String REGISTRY = "registry";

  public static final ConfigOption<String> BOOTSTRAP_SERVERS = string("kafka.bootstrap.servers",
      "127.0.0.1:9092", "Kafka bootstrap servers, host:port[,host:port].");
  public static final ConfigOption<String> SECURITY_PROTOCOL = string("kafka.security.protocol",
      "PLAINTEXT", "PLAINTEXT, SSL (TLS or mTLS), SASL_PLAINTEXT or SASL_SSL.");
  public static final ConfigOption<String> SASL_MECHANISM = string("kafka.sasl.mechanism", null,
      "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, with a SASL security protocol.");
  public static final ConfigOption<String> SASL_JAAS_CONFIG = secret("kafka.sasl.jaas.config",
      "The JAAS login module line; write ${file:/path} or ${env:NAME} rather than the secret itself.");
  public static final ConfigOption<String> SSL_TRUSTSTORE_LOCATION = string(
      "kafka.ssl.truststore.location", null, "Truststore (PKCS12 or JKS) with the brokers' CA.");
  public static final ConfigOption<String> SSL_TRUSTSTORE_PASSWORD = secret(
      "kafka.ssl.truststore.password", "Password of the truststore.");
  public static final ConfigOption<String> SSL_KEYSTORE_LOCATION = string(
      "kafka.ssl.keystore.location", null, "Keystore with this client's certificate, for mTLS.");
  public static final ConfigOption<String> SSL_KEYSTORE_PASSWORD = secret(
      "kafka.ssl.keystore.password", "Password of the keystore.");
  public static final ConfigOption<String> SSL_KEY_PASSWORD = secret("kafka.ssl.key.password",
      "Password of the private key in the keystore.");

  public static final ConfigOption<String> REGISTRY_URL = string("registry.url",
      "http://127.0.0.1:8081/apis/ccompat/v7",
      "Base URL of a Confluent-compatible schema registry (Confluent, Apicurio's /apis/ccompat/v7, "
          + "Karapace, Redpanda).");
  public static final ConfigOption<String> REGISTRY_BASIC_AUTH = secret(
      "registry.basic.auth.user.info", "user:password for the registry's basic authentication.");
  public static final ConfigOption<String> REGISTRY_TRUSTSTORE_LOCATION = string(
      "registry.ssl.truststore.location", null, "Truststore for an https registry.");
  public static final ConfigOption<String> REGISTRY_TRUSTSTORE_PASSWORD = secret(
      "registry.ssl.truststore.password", "Password of the registry truststore.");
  public static final ConfigOption<String> REGISTRY_KEYSTORE_LOCATION = string(
      "registry.ssl.keystore.location", null, "Keystore with a client certificate for the registry.");
  public static final ConfigOption<String> REGISTRY_KEYSTORE_PASSWORD = secret(
      "registry.ssl.keystore.password", "Password of the registry keystore.");
  public static final ConfigOption<Boolean> REGISTRY_AUTO_REGISTER = bool(
      "registry.auto.register.schemas", true,
      "Register the writer schema on first use; off where schemas are registered by CI.");

  public static final List<ConfigOption<?>> ALL = List.of(BOOTSTRAP_SERVERS, SECURITY_PROTOCOL,
      SASL_MECHANISM, SASL_JAAS_CONFIG, SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD,
      SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEY_PASSWORD, REGISTRY_URL, REGISTRY_BASIC_AUTH,
      REGISTRY_TRUSTSTORE_LOCATION, REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_KEYSTORE_LOCATION,
      REGISTRY_KEYSTORE_PASSWORD, REGISTRY_AUTO_REGISTER);

  /** Properties for any Kafka client: every {@code kafka.*} key, with the bootstrap default applied. */
  public static Map<String, Object> kafkaProperties(Config config) {
    Map<String, Object> props = new HashMap<>(config.section(KAFKA));
    props.put("bootstrap.servers", config.get(BOOTSTRAP_SERVERS));
    return props;
  }

  /** Settings for the registry client and the Avro serde, under their Confluent-style names. */
  public static Map<String, Object> registryProperties(Config config) {
    Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", config.get(REGISTRY_URL));
    props.put("auto.register.schemas", config.get(REGISTRY_AUTO_REGISTER));
    putIfSet(props, "basic.auth.user.info", config.get(REGISTRY_BASIC_AUTH));
    putIfSet(props, "schema.registry.ssl.truststore.location", config.get(REGISTRY_TRUSTSTORE_LOCATION));
    putIfSet(props, "schema.registry.ssl.truststore.password", config.get(REGISTRY_TRUSTSTORE_PASSWORD));
    putIfSet(props, "schema.registry.ssl.keystore.location", config.get(REGISTRY_KEYSTORE_LOCATION));
    putIfSet(props, "schema.registry.ssl.keystore.password", config.get(REGISTRY_KEYSTORE_PASSWORD));
    return props;
  }

  /** A copy of client properties that is safe to log: values of secret-looking keys hidden. */
  public static Map<String, Object> redacted(Map<String, Object> props) {
    Map<String, Object> out = new java.util.TreeMap<>();
    props.forEach((k, v) -> out.put(k, Config.looksSecret(k) ? "[hidden]" : v));
    return out;
  }

  private static void putIfSet(Map<String, Object> props, String key, Object value) {
    if (value != null) {
      props.put(key, value);
    }
  }
}
