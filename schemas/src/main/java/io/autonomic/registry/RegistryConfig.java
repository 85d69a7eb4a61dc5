package io.autonomic.registry;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Every setting of the registry client and of the Avro serde, with its type, default and meaning.
 *
 * <p>Names follow Confluent's serializer settings, so an existing producer or consumer configuration
 * keeps working. The settings are read from the same map as the Kafka client's own configuration;
 * keys this class does not know are ignored. {@link #CONFIG_DEF} can render the table as HTML or RST.
 */
public final class RegistryConfig extends AbstractConfig {

  /**
   * Base URL of a Confluent-compatible registry API, as the registry serves it: {@code http://host:8081}
   * for Confluent, Karapace or Redpanda, {@code http://host:8080/apis/ccompat/v7} for Apicurio.
   * May carry {@code user:password@} credentials, used like {@link #BASIC_AUTH_USER_INFO}. Required unless a
   * client is passed to the serde directly.
   */
  public static final String URL = "schema.registry.url";

  /** HTTP basic credentials as {@code user:password}; none by default. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Trust store (certificates of the registry's CA) for {@code https} URLs; the JDK's default trust when unset. */
  public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  /** Password of the trust store. */
  public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  /** Type of the trust store: PKCS12 (default; also reads JKS files) or JKS. */
  public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  /** Key store with the client's certificate and key, for registries that require client certificates (mutual TLS). */
  public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  /** Password of the key store. */
  public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  /** Type of the key store: PKCS12 (default; also reads JKS files) or JKS. */
  public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  /** Password of the private key in the key store; the key store password when unset. */
  public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

  /** Connect timeout of one HTTP attempt, in milliseconds. */
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  /** Time to wait for the response to one HTTP attempt, in milliseconds. */
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  /**
   * Attempts per request, the first included. Only connection failures, timeouts and HTTP 5xx are
   * retried; a registry's 4xx answer (not found, incompatible, unauthorized) is final.
   */
  public static final String MAX_ATTEMPTS = "schema.registry.max.attempts";
  /** Wait before the second attempt, in milliseconds; it doubles after each attempt up to {@link #RETRY_BACKOFF_MAX_MS}. */
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  /** Upper bound of the wait between two attempts, in milliseconds. */
  public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
  /** How many schemas and ids the client keeps in memory (least recently used are dropped first). */
  public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";

  /**
   * Serializer: register the record's schema under its subject when it is not there yet. When false the
   * schema must already be registered; the serializer looks its id up and fails if it is missing.
   */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  /**
   * Serializer: write with the subject's latest registered schema instead of the record's own (the record is
   * converted by Avro schema resolution, so the latest schema must be able to read it). Never registers.
   */
  public static final String USE_LATEST_VERSION = "use.latest.version";
  /**
   * Serializer: how a subject is named. {@code topic} (default): {@code <topic>-value} or {@code <topic>-key};
   * {@code record}: the record's full name; {@code topic-record}: {@code <topic>-<full name>}. Confluent's
   * strategy class names are accepted too.
   */
  public static final String SUBJECT_NAME_STRATEGY = "subject.name.strategy";
  /**
   * Deserializer: return generated {@code SpecificRecord} classes (found by the writer schema's full name)
   * instead of {@code GenericRecord}.
   */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  /**
   * Deserializer: Avro schema (JSON) to read every value with; data written with an older or newer schema
   * is resolved to it (Avro schema resolution). The writer's schema when unset.
   */
  public static final String READER_SCHEMA = "avro.reader.schema";

  /** Definition of every setting above; {@code CONFIG_DEF.toHtml()} documents them. */
  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(URL, Type.STRING, null, Importance.HIGH,
          "Base URL of a Confluent-compatible registry API, e.g. http://host:8081 (Confluent, Karapace, Redpanda) or "
              + "http://host:8080/apis/ccompat/v7 (Apicurio). May carry user:password@ credentials.")
      .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
          "HTTP basic credentials as user:password.")
      .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
          "Trust store for https URLs; the JDK's default trust when unset.")
      .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of the trust store.")
      .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW,
          "Type of the trust store: PKCS12 (also reads JKS files) or JKS.")
      .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
          "Key store with the client certificate, for mutual TLS.")
      .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of the key store.")
      .define(SSL_KEYSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW,
          "Type of the key store: PKCS12 (also reads JKS files) or JKS.")
      .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
          "Password of the private key; the key store password when unset.")
      .define(CONNECT_TIMEOUT_MS, Type.INT, 5_000, Range.atLeast(1), Importance.LOW,
          "Connect timeout of one HTTP attempt, in milliseconds.")
      .define(REQUEST_TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
          "Time to wait for the response to one HTTP attempt, in milliseconds.")
      .define(MAX_ATTEMPTS, Type.INT, 4, Range.between(1, 100), Importance.LOW,
          "Attempts per request, the first included; only connection failures, timeouts and HTTP 5xx are retried.")
      .define(RETRY_BACKOFF_MS, Type.LONG, 200L, Range.atLeast(0), Importance.LOW,
          "Wait before the second attempt, in milliseconds; doubles after each attempt.")
      .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 2_000L, Range.atLeast(0), Importance.LOW,
          "Upper bound of the wait between two attempts, in milliseconds.")
      .define(CACHE_CAPACITY, Type.INT, 1_000, Range.atLeast(1), Importance.LOW,
          "How many schemas and ids the client keeps in memory.")
      .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
          "Serializer: register the record's schema when it is not registered yet; when false, it must be.")
      .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW,
          "Serializer: write with the subject's latest registered schema (records are converted to it); never registers.")
      .define(SUBJECT_NAME_STRATEGY, Type.STRING, "topic", Importance.MEDIUM,
          "Serializer: subject naming: topic (<topic>-value / <topic>-key), record (record full name) or "
              + "topic-record (<topic>-<record full name>).")
      .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
          "Deserializer: return generated SpecificRecord classes instead of GenericRecord.")
      .define(READER_SCHEMA, Type.STRING, null, Importance.LOW,
          "Deserializer: Avro schema (JSON) to resolve every value to; the writer's schema when unset.");

  /** Reads the settings from a Kafka-style configuration map; unknown keys are ignored. */
  public RegistryConfig(Map<String, ?> configs) {
    super(CONFIG_DEF, configs, false);
  }

  /** The value of a password setting, or null when unset. */
  String password(String key) {
    Password password = getPassword(key);
    return password == null ? null : password.value();
  }

  /** The subject name strategy, parsed from {@link #SUBJECT_NAME_STRATEGY}. */
  public SubjectNameStrategy subjectNameStrategy() {
    return SubjectNameStrategy.parse(getString(SUBJECT_NAME_STRATEGY));
  }
}
