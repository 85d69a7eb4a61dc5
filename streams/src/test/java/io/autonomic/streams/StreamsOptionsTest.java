package io.autonomic.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.config.ConfigException;
import io.autonomic.config.ConfigLoader;
import io.autonomic.config.ConfigOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class StreamsOptionsTest {

  @Test
  void everyOptionHasADescriptionAndAUniqueKey() {
    Set<String> keys = new HashSet<>();
    for (ConfigOption<?> option : StreamsOptions.all()) {
      assertThat(option.description()).as(option.key()).isNotBlank().endsWith(".");
      assertThat(keys.add(option.key())).as("duplicate " + option.key()).isTrue();
    }
  }

  @Test
  void everyAppIsExactlyOnceWithItsOwnApplicationIdAndTheSharedClientSettings() {
    var config = ConfigLoader.load(null, List.of("kafka.bootstrap.servers=broker:9093",
        "kafka.security.protocol=SASL_SSL", "streams.kafka.num.stream.threads=2"), Map.of(), Map.of());
    Set<Object> ids = new HashSet<>();
    for (StreamsApp app : StreamsApp.values()) {
      var props = StreamsRunner.streamsProperties(config, app, new HostInfo("10.0.0.5", 7070));
      assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
      assertThat(props.get("bootstrap.servers")).isEqualTo("broker:9093");
      assertThat(props.get("security.protocol")).isEqualTo("SASL_SSL");
      assertThat(props.get("num.stream.threads")).isEqualTo("2");
      assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("10.0.0.5:7070");
      ids.add(props.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }
    assertThat(ids).containsExactlyInAnyOrder("autonomic-normalizer", "autonomic-log-patterns",
        "autonomic-correlator");
  }

  @Test
  void rejectsATypoInItsOwnSectionsButNotOtherComponentsKeys() throws Exception {
    Path file = Files.createTempFile("autonomic", ".yaml");
    Files.writeString(file, "correlator:\n  group.wiat: 30s\ndetector:\n  anything: 1\n");
    var config = ConfigLoader.load(file, List.of(), Map.of(), Map.of());
    assertThatThrownBy(() -> config.validate(StreamsOptions.all(), StreamsOptions.passThrough(config)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("correlator.group.wiat")
        .hasMessageNotContaining("detector");
  }

  @Test
  void namesTheAppsAsTheCommandLineDoes() {
    assertThat(StreamsApp.of("log-patterns")).isEqualTo(StreamsApp.LOG_PATTERNS);
    assertThatThrownBy(() -> StreamsApp.of("detector")).hasMessageContaining("normalizer, log-patterns, correlator");
  }
}
