package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.config.ConfigException;
import io.autonomic.config.ConfigLoader;
import io.autonomic.config.ConfigOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerOptionsTest {
  @Test
  void everyOptionHasADescription() {
    assertThat(TrainerOptions.ALL).allSatisfy(o -> assertThat(o.description()).as(o.key()).isNotBlank());
    assertThat(TrainerOptions.ALL).extracting(ConfigOption::key).allMatch(k -> k.startsWith("train."))
        .doesNotHaveDuplicates();
  }

  @Test
  void readsTheFileWithFlagsAndEnvironmentOnTopAndTheDetectorsWindow(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("autonomic.yaml");
    Files.writeString(file, "detector:\n  window.size: 30s\n  threshold: 0.9\n"
        + "train:\n  min.windows: 100\n  kind: lstm\n  features: mean, p95\n");

    TrainerOptions o = TrainerOptions.from(ConfigLoader.load(file, List.of("train.epochs=3"),
        Map.of("AUTONOMIC_TRAIN_MIN_WINDOWS", "200"), Map.of()));

    assertThat(o.windowSize).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.minWindows).isEqualTo(200);
    assertThat(o.epochs).isEqualTo(3);
    assertThat(o.kind).isEqualTo("lstm");
    assertThat(o.features).containsExactly("mean", "p95");
    assertThat(o.settings().sequenceLength()).isEqualTo(16);
    assertThat(o.kafka).containsKey("bootstrap.servers");
  }

  @Test
  void rejectsUnknownKeysAndBadValuesNamingTheKey() {
    assertThatThrownBy(() -> TrainerOptions.from(ConfigLoader.load(null, List.of("train.epoch=3"), Map.of(),
        Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("train.epochs");
    assertThatThrownBy(() -> TrainerOptions.from(ConfigLoader.load(null, List.of("train.kind=cnn"), Map.of(),
        Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("train.kind");
    assertThatThrownBy(() -> TrainerOptions.from(ConfigLoader.load(null, List.of("train.features=mean,median"),
        Map.of(), Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("median");
    assertThatThrownBy(() -> TrainerOptions.from(ConfigLoader.load(null, List.of("train.min.windows=5"),
        Map.of(), Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("train.min.windows");
  }
}
