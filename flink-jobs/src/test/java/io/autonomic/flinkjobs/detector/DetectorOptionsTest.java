package io.autonomic.flinkjobs.detector;

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

class DetectorOptionsTest {
  @Test
  void everyOptionHasADescription() {
    assertThat(DetectorOptions.ALL).allSatisfy(o -> assertThat(o.description()).as(o.key()).isNotBlank());
    assertThat(DetectorOptions.ALL).extracting(ConfigOption::key).allMatch(k -> k.startsWith("detector."))
        .doesNotHaveDuplicates();
  }

  @Test
  void readsTheFileWithFlagsAndEnvironmentOnTop(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("autonomic.yaml");
    Files.writeString(file, "detector:\n  window.size: 30s\n  threshold: 0.8\n  parallelism: 2\n");

    DetectorOptions o = DetectorOptions.from(ConfigLoader.load(file, List.of("detector.threshold=0.95"),
        Map.of("AUTONOMIC_DETECTOR_PARALLELISM", "3"), Map.of()));

    assertThat(o.windowSize).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.threshold).isEqualTo(0.95);
    assertThat(o.parallelism).isEqualTo(3);
    assertThat(o.sliding()).isFalse();
  }

  @Test
  void rejectsABadThresholdAndUnknownKeys() {
    assertThatThrownBy(() -> DetectorOptions.from(ConfigLoader.load(null, List.of("detector.threshold=1.5"),
        Map.of(), Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("detector.threshold");
    assertThatThrownBy(() -> DetectorOptions.from(ConfigLoader.load(null, List.of("detector.treshold=0.5"),
        Map.of(), Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("detector.threshold");
  }
}
