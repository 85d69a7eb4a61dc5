package io.autonomic.registry;

/** A subject's compatibility rule, as the Confluent API names them. */
public enum CompatibilityLevel {
  /** Any schema may be registered. */
  NONE,
  /** A new schema can read data written with the previous version. */
  BACKWARD,
  /** A new schema can read data written with every earlier version. */
  BACKWARD_TRANSITIVE,
  /** Data written with a new schema can be read with the previous version. */
  FORWARD,
  /** Data written with a new schema can be read with every earlier version. */
  FORWARD_TRANSITIVE,
  /** Both BACKWARD and FORWARD with the previous version. */
  FULL,
  /** Both BACKWARD and FORWARD with every earlier version. */
  FULL_TRANSITIVE
}
