package io.autonomic.cli;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import io.autonomic.stack.StackLayout;
import io.autonomic.stack.StackState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a subcommand reaches Kafka and the registry. Precedence, highest first: {@code --bootstrap-servers}
 * / {@code --registry-url} / {@code --set key=value}, then {@code AUTONOMIC_*} environment variables,
 * then the {@code --config} file, then the local stack that {@code up} recorded, then the defaults.
 */
public final class ClientOptionsMixin {
  @Option(names = {"-c", "--config"}, defaultValue = "${env:AUTONOMIC_CONFIG}",
      description = "YAML config file (env AUTONOMIC_CONFIG). Its kafka: and registry: sections are shared by all apps.")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one config key, e.g. --set kafka.security.protocol=SASL_SSL. Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (same as --set kafka.bootstrap.servers=...).")
  String bootstrapServers;

  @Option(names = "--registry-url", description = "Schema registry URL (same as --set registry.url=...).")
  String registryUrl;

  /** Loads the config; {@code layout} is where to look for a running local stack. */
  public Config load(StackLayout layout) {
    List<String> all = new ArrayList<>(overrides);
    if (bootstrapServers != null) {
      all.add(ClientOptions.BOOTSTRAP_SERVERS.key() + "=" + bootstrapServers);
    }
    if (registryUrl != null) {
      all.add(ClientOptions.REGISTRY_URL.key() + "=" + registryUrl);
    }
    Map<String, Config.Entry> discovered = new LinkedHashMap<>();
    StackState.read(layout.stateFile()).ifPresent(s -> {
      String origin = layout.stateFile().toString();
      discovered.put(ClientOptions.BOOTSTRAP_SERVERS.key(), new Config.Entry(s.bootstrapServers(), origin));
      discovered.put(ClientOptions.REGISTRY_URL.key(), new Config.Entry(s.registryUrl(), origin));
    });
    return ConfigLoader.load(configFile, all, System.getenv(), discovered);
  }
}
