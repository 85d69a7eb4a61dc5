package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerAppCsvTest {
  static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

  @Test
  void trainsEachSeriesAndEntityPastWarmUpFromNabStyleCsvs(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    writeCsv(data.resolve("realAWS/cpu.csv"), 80, true);
    writeCsv(data.resolve("short.csv"), 20, false);
    TrainerOptions o = small(dir.resolve("models"));

    TrainerApp.Result r;
    try (TrainerApp app = new TrainerApp(o, null, Clock.fixed(NOW, ZoneOffset.UTC))) {
      r = app.trainFromCsv(data);
    }

    assertThat(r.trained()).extracting(StoredModel::modelKey).containsExactly(
        "lstm-autoencoder/realAWS/cpu.csv/value", "dense-autoencoder/realAWS/cpu.csv");
    assertThat(r.skipped()).hasSize(2).allMatch(s -> s.contains("short.csv") && s.contains("20 windows < 40"));
    assertThat(r.points()).isEqualTo(100); // the row with an empty value is not a point
    StoredModel lstm = r.trained().get(0);
    assertThat(lstm.version()).isEqualTo(1);
    assertThat(lstm.update().getFeatures()).containsExactly("mean", "max");
    assertThat(lstm.update().getCreatedAt()).isEqualTo(NOW);
    assertThat(lstm.update().getCalibration()).containsEntry("sequence.length", 8.0);
    assertThat(lstm.training()).containsEntry("windows", 80);
    assertThat(r.trained().get(1).update().getFeatures()).containsExactly("value:mean", "value:max");
    assertThat(new ModelStore(dir.resolve("models"), 3).latest()).hasSize(2);
  }

  static TrainerOptions small(Path store) {
    TrainerOptions o = new TrainerOptions();
    o.store = store.toString();
    o.features = List.of("mean", "max");
    o.minWindows = 40;
    o.sequenceLength = 8;
    o.units = 8;
    o.epochs = 2;
    return o;
  }

  /** {@code rows} five-minute points (NAB's format and cadence); optionally one row with an empty value. */
  static void writeCsv(Path file, int rows, boolean withEmptyValue) throws IOException {
    Files.createDirectories(file.getParent());
    Random r = new Random(rows);
    List<String> lines = new ArrayList<>();
    lines.add("timestamp,value");
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < rows; i++) {
      String ts = t.plusSeconds(300L * i).toString().replace('T', ' ').replace("Z", "");
      lines.add(ts + "," + (50 + 10 * Math.sin(i / 4.0) + r.nextGaussian()));
    }
    if (withEmptyValue) {
      lines.add(t.plusSeconds(300L * rows).toString().replace('T', ' ').replace("Z", "") + ",");
    }
    Files.write(file, lines);
  }
}
