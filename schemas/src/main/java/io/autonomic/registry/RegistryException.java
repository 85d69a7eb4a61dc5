package io.autonomic.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema-registry request failed. The message says what was asked, of which registry, and what the registry
 * answered (its own message and error code) or why it could not be reached. It extends Kafka's
 * {@link SerializationException} because it surfaces from {@link AvroSerializer} and {@link AvroDeserializer}.
 */
public class RegistryException extends SerializationException {
  private static final long serialVersionUID = 1L;

  /** Why the request failed; lets callers react without parsing messages. */
  public enum Reason {
    /** No HTTP answer after every attempt: connection refused, timeout, unknown host, reset. */
    UNREACHABLE,
    /** The TLS handshake failed (untrusted certificate, client certificate required, protocol mismatch). */
    TLS,
    /** The client configuration is wrong (missing URL, unreadable trust store...). */
    CONFIG,
    /** HTTP 401: missing or wrong credentials. */
    UNAUTHORIZED,
    /** HTTP 403: the credentials may not do this. */
    FORBIDDEN,
    /** The subject does not exist (error 40401). */
    SUBJECT_NOT_FOUND,
    /** The subject has no such version (error 40402). */
    VERSION_NOT_FOUND,
    /** No schema with this id, or the schema is not registered under the subject (error 40403). */
    SCHEMA_NOT_FOUND,
    /** HTTP 404 without a registry error code: usually a wrong base URL. */
    NOT_FOUND,
    /** HTTP 409: the schema breaks the subject's compatibility rule. */
    INCOMPATIBLE,
    /** HTTP 422 or a schema this client cannot use: invalid schema, compatibility level, version. */
    INVALID,
    /** HTTP 5xx after every attempt. */
    SERVER_ERROR,
    /** An answer that is not what the Confluent API defines (not JSON, missing fields, other status). */
    UNEXPECTED_RESPONSE
  }

  private final Reason reason;
  private final int httpStatus;
  private final int errorCode;
  private final String registryMessage;

  /** An error without an HTTP answer (unreachable, TLS, configuration). */
  public RegistryException(Reason reason, String message, Throwable cause) {
    this(reason, message, cause, -1, -1, null);
  }

  /** An error the registry answered with: its HTTP status, error code and message (-1 / null when absent). */
  public RegistryException(Reason reason, String message, Throwable cause, int httpStatus, int errorCode,
      String registryMessage) {
    super(message, cause);
    this.reason = reason;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.registryMessage = registryMessage;
  }

  /** Why the request failed. */
  public Reason reason() {
    return reason;
  }

  /** HTTP status of the registry's answer, or -1 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code} (e.g. 40403), or -1 when it gave none. */
  public int errorCode() {
    return errorCode;
  }

  /** The registry's own {@code message}, or null when it gave none. */
  public String registryMessage() {
    return registryMessage;
  }

  /** The same error with {@code context} (e.g. which topic was being read) put in front of the message. */
  public RegistryException withContext(String context) {
    return new RegistryException(reason, context + ": " + getMessage(), this, httpStatus, errorCode, registryMessage);
  }
}
