package io.autonomic.cli;

import io.autonomic.stack.StackLayout;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local stack lives and listens; every flag also reads an environment variable. */
public final class StackOptions {
  @Option(names = "--home", defaultValue = "${env:AUTONOMIC_HOME:-.autonomic}",
      description = "Data and log directory of the local stack (env AUTONOMIC_HOME; default: ${DEFAULT-VALUE}).")
  Path home;

  @Option(names = "--host", defaultValue = "${env:AUTONOMIC_HOST:-127.0.0.1}",
      description = "Address the local processes bind to (env AUTONOMIC_HOST; default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--kafka-port", defaultValue = "${env:AUTONOMIC_BROKER_PORT:-9092}",
      description = "Broker port (env AUTONOMIC_BROKER_PORT; default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--controller-port", defaultValue = "${env:AUTONOMIC_CONTROLLER_PORT:-9093}",
      description = "KRaft controller port (env AUTONOMIC_CONTROLLER_PORT; default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Option(names = "--registry-port", defaultValue = "${env:AUTONOMIC_REGISTRY_PORT:-8081}",
      description = "Schema registry port (env AUTONOMIC_REGISTRY_PORT; default: ${DEFAULT-VALUE}).")
  int registryPort;

  public StackLayout layout() {
    return new StackLayout(home, host, kafkaPort, controllerPort, registryPort);
  }
}
