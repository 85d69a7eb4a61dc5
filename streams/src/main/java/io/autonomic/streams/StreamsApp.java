package io.autonomic.streams;

import java.util.Arrays;
import java.util.Locale;

/** The three Kafka Streams apps of this module, by the name {@code ./autonomic streams --app} takes. */
public enum StreamsApp {
  NORMALIZER("normalizer"), LOG_PATTERNS("log-patterns"), CORRELATOR("correlator");

  private final String cliName;

  StreamsApp(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** The app named {@code name} (normalizer, log-patterns or correlator). */
  public static StreamsApp of(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(a -> a.cliName.equals(n)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown app '" + name + "'; known: normalizer, "
            + "log-patterns, correlator"));
  }
}
