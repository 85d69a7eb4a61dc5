package io.autonomic.stack;

import java.nio.file.Path;

/**
 * Where the local stack lives and listens. Everything is bound to loopback; data and logs stay under
 * {@code home} (by default {@code .autonomic/} in the working directory).
 *
 * @param home data directory: kafka/, registry/, logs/ and the stack state file
 * @param host the address every process binds to
 * @param kafkaPort the broker's client listener
 * @param controllerPort the KRaft controller listener
 * @param registryPort the schema registry's HTTP port
 */
public record StackLayout(Path home, String host, int kafkaPort, int controllerPort, int registryPort) {

  public Path stateFile() {
    return home.resolve("stack.properties");
  }

  public Path logsDir() {
    return home.resolve("logs");
  }

  public Path kafkaDir() {
    return home.resolve("kafka");
  }

  public Path registryDir() {
    return home.resolve("registry");
  }

  public String bootstrapServers() {
    return host + ":" + kafkaPort;
  }

  public String registryBaseUrl() {
    return "http://" + host + ":" + registryPort;
  }

  public String registryUrl() {
    return registryBaseUrl() + "/apis/ccompat/v7";
  }
}
