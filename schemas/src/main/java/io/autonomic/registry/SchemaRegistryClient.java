package io.autonomic.registry;

import org.apache.avro.Schema;

/**
 * The operations of a Confluent-compatible schema registry that Autonomic uses. Implementations cache what
 * cannot change (a schema's id, an id's schema) and are safe for concurrent use. Every method throws
 * {@link RegistryException} with a message naming the registry, the request and the registry's answer.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /**
   * Registers {@code schema} under {@code subject} (a new version unless it is already there) and returns its
   * global id. Fails with {@link RegistryException.Reason#INCOMPATIBLE} when it breaks the subject's rule.
   */
  int register(String subject, Schema schema);

  /**
   * The id of {@code schema} if it is registered under {@code subject}; fails with
   * {@link RegistryException.Reason#SCHEMA_NOT_FOUND} or {@link RegistryException.Reason#SUBJECT_NOT_FOUND}.
   */
  int getId(String subject, Schema schema);

  /** The schema with this global id; fails with {@link RegistryException.Reason#SCHEMA_NOT_FOUND}. */
  Schema getSchemaById(int id);

  /** The latest version registered under {@code subject}. */
  RegisteredSchema getLatestVersion(String subject);

  /** Whether {@code schema} could be registered under {@code subject} now, with the registry's reasons if not. */
  CompatibilityResult testCompatibility(String subject, Schema schema);

  /** Sets the compatibility rule of {@code subject}. */
  void setCompatibility(String subject, CompatibilityLevel level);

  /** The compatibility rule in force for {@code subject} (the global one when it has none of its own). */
  CompatibilityLevel getCompatibility(String subject);

  /** Releases resources; the default does nothing. */
  @Override
  default void close() {}
}
