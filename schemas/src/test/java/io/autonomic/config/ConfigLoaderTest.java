package io.autonomic.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final ConfigOption<Duration> WINDOW = ConfigOption.duration("detector.window",
      Duration.ofMinutes(1), "Tumbling window size.");
  static final ConfigOption<Integer> PARALLELISM = ConfigOption.integer("detector.parallelism", 1,
      "Operator parallelism.");

  @TempDir
  Path dir;

  @Test
  void shouldFlattenNestedAndDottedKeysWithTheirLines() throws Exception {
    Path file = write("""
        kafka:
          bootstrap.servers: broker-1:9093
          security:
            protocol: SASL_SSL
        detector:
          window: 30s
        """);
    Config config = ConfigLoader.load(file, List.of(), Map.of(), Map.of());

    assertThat(config.get(ClientOptions.BOOTSTRAP_SERVERS)).isEqualTo("broker-1:9093");
    assertThat(config.get(ClientOptions.SECURITY_PROTOCOL)).isEqualTo("SASL_SSL");
    assertThat(config.get(WINDOW)).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.originOf(WINDOW)).isEqualTo("autonomic.yaml:6");
  }

  @Test
  void shouldLetFlagsBeatEnvironmentAndEnvironmentBeatTheFile() throws Exception {
    Path file = write("detector:\n  parallelism: 2\n  window: 5m\n");
    Map<String, String> env = Map.of("AUTONOMIC_DETECTOR_PARALLELISM", "3", "AUTONOMIC_DETECTOR_WINDOW", "10m");
    Config config = ConfigLoader.load(file, List.of("detector.parallelism=4"), env, Map.of());

    assertThat(config.get(PARALLELISM)).isEqualTo(4);
    assertThat(config.originOf(PARALLELISM)).isEqualTo("flag --set detector.parallelism");
    assertThat(config.get(WINDOW)).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.originOf(WINDOW)).isEqualTo("env AUTONOMIC_DETECTOR_WINDOW");
  }

  @Test
  void shouldNameFileLineAndKeyOfABadValue() throws Exception {
    Path file = write("detector:\n  parallelism: 2\n  window: soon\n");
    Config config = ConfigLoader.load(file, List.of(), Map.of(), Map.of());

    assertThatThrownBy(() -> config.get(WINDOW))
        .isInstanceOf(ConfigException.class)
        .hasMessage("autonomic.yaml:3: key 'detector.window': expected a duration such as 500ms, 30s, "
            + "5m, 2h, 1d or PT30S, got 'soon'");
  }

  @Test
  void shouldRejectUnknownKeysWithASuggestion() throws Exception {
    Path file = write("detector:\n  windw: 30s\n");
    Config config = ConfigLoader.load(file, List.of(), Map.of(), Map.of());

    assertThatThrownBy(() -> config.validate(List.of(WINDOW, PARALLELISM), List.of("kafka")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("autonomic.yaml:2: unknown key 'detector.windw' (did you mean 'detector.window'?)");
  }

  @Test
  void shouldPassKafkaSectionThroughAndResolveSecretReferences() throws Exception {
    Path secret = dir.resolve("jaas");
    Files.writeString(secret, "org.apache.kafka.common.security.scram.ScramLoginModule required;\n");
    Path file = write("kafka:\n  sasl.jaas.config: ${file:" + secret + "}\n  ssl.truststore.password: ${env:TS_PASS}\n");
    Map<String, String> env = Map.of("TS_PASS", "s3cret", "AUTONOMIC_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    Config config = ConfigLoader.load(file, List.of(), env, Map.of());

    Map<String, Object> props = ClientOptions.kafkaProperties(config);
    assertThat(props)
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
        .containsEntry("ssl.truststore.password", "s3cret")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    assertThat(ClientOptions.redacted(props))
        .containsEntry("sasl.jaas.config", "[hidden]")
        .containsEntry("ssl.truststore.password", "[hidden]");
    assertThat(config.describe(ClientOptions.ALL)).doesNotContain("s3cret").doesNotContain("ScramLoginModule");
  }

  @Test
  void shouldNameTheMissingEnvironmentVariableOfASecretReference() throws Exception {
    Path file = write("registry:\n  basic.auth.user.info: ${env:REGISTRY_AUTH}\n");
    Config config = ConfigLoader.load(file, List.of(), Map.of(), Map.of());

    assertThatThrownBy(() -> ClientOptions.registryProperties(config))
        .hasMessage("autonomic.yaml:2: key 'registry.basic.auth.user.info': environment variable REGISTRY_AUTH is not set");
  }

  @Test
  void shouldReportInvalidYamlWithItsLine() throws Exception {
    Path file = write("kafka:\n  bootstrap.servers: [a, b\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, List.of(), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("autonomic.yaml:")
        .hasMessageContaining("invalid YAML");
  }

  @Test
  void shouldNameAMissingConfigFile() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing, List.of(), Map.of(), Map.of()))
        .hasMessage(missing + ": config file not found");
  }

  @Test
  void shouldPreferTheFileOverDiscoveredStackAddresses() throws Exception {
    Path file = write("kafka:\n  bootstrap.servers: prod:9093\n");
    Map<String, Config.Entry> discovered = Map.of("kafka.bootstrap.servers",
        new Config.Entry("127.0.0.1:19092", ".autonomic/stack.properties"),
        "registry.url", new Config.Entry("http://127.0.0.1:18081/apis/ccompat/v7", ".autonomic/stack.properties"));
    Config config = ConfigLoader.load(file, List.of(), Map.of(), discovered);

    assertThat(config.get(ClientOptions.BOOTSTRAP_SERVERS)).isEqualTo("prod:9093");
    assertThat(config.get(ClientOptions.REGISTRY_URL)).isEqualTo("http://127.0.0.1:18081/apis/ccompat/v7");
  }

  @Test
  void shouldParseOperatorDurations() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("PT45S")).isEqualTo(Duration.ofSeconds(45));
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("autonomic.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
