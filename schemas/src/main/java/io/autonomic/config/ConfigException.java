package io.autonomic.config;

/**
 * A configuration error that says where the bad value came from (file and line, environment variable
 * or flag), which key, and what was wrong, e.g.
 * {@code autonomic.yaml:12: key 'detector.window': expected a duration such as 30s, got 'soon'}.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
