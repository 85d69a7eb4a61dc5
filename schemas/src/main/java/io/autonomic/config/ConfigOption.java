package io.autonomic.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * One declared configuration key: its name, type, default and description, declared once where the
 * app defines its options (in the manner of Flink's ConfigOptions). {@code --help}, the docs and the
 * "no undescribed option" tests all read these declarations.
 *
 * <p>Every key can be set in the YAML file ({@code section.key: value}), by the environment variable
 * {@link #envName()} ({@code AUTONOMIC_} + the key upper-cased with dots and dashes as underscores), or
 * by a {@code --set key=value} flag. Flags win over the environment, the environment over the file.
 */
public final class ConfigOption<T> {
  private final String key;
  private final Class<T> type;
  private final T defaultValue;
  private final String description;
  private final boolean secret;
  private final Function<String, T> parser;

  private ConfigOption(String key, Class<T> type, T defaultValue, String description, boolean secret,
      Function<String, T> parser) {
    this.key = Objects.requireNonNull(key);
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description);
    this.secret = secret;
    this.parser = parser;
  }

  public static ConfigOption<String> string(String key, String defaultValue, String description) {
    return new ConfigOption<>(key, String.class, defaultValue, description, false, s -> s);
  }

  /** A string that must never be printed or logged (passwords, tokens, JAAS configs). */
  public static ConfigOption<String> secret(String key, String description) {
    return new ConfigOption<>(key, String.class, null, description, true, s -> s);
  }

  public static ConfigOption<Integer> integer(String key, int defaultValue, String description) {
    return new ConfigOption<>(key, Integer.class, defaultValue, description, false, s -> {
      try {
        return Integer.valueOf(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a whole number, got '" + s + "'");
      }
    });
  }

  public static ConfigOption<Boolean> bool(String key, boolean defaultValue, String description) {
    return new ConfigOption<>(key, Boolean.class, defaultValue, description, false, s -> {
      String v = s.trim().toLowerCase(java.util.Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return Boolean.valueOf(v);
      }
      throw new IllegalArgumentException("expected true or false, got '" + s + "'");
    });
  }

  /** A duration written as ISO-8601 ({@code PT30S}) or with a unit suffix: 500ms, 30s, 5m, 2h, 1d. */
  public static ConfigOption<Duration> duration(String key, Duration defaultValue, String description) {
    return new ConfigOption<>(key, Duration.class, defaultValue, description, false, Durations::parse);
  }

  public String key() {
    return key;
  }

  public Class<T> type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public boolean isSecret() {
    return secret;
  }

  /** The environment variable that overrides this key: {@code registry.url} → {@code AUTONOMIC_REGISTRY_URL}. */
  public String envName() {
    return envNameOf(key);
  }

  static String envNameOf(String key) {
    return "AUTONOMIC_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  T parse(String raw) {
    return parser.apply(raw);
  }

  @Override
  public String toString() {
    return key;
  }
}
