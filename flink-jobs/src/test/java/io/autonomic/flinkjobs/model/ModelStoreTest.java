package io.autonomic.flinkjobs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.avro.ModelUpdate;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
  static TrainedModel model;

  @BeforeAll
  static void train() {
    model = new ModelTrainer(ModelTrainerTest.SMALL.withEpochs(1)).train(new TrainingSet(ModelKind.LSTM,
        ModelKind.seriesKey("checkout/eu", "latency.p99"), SyntheticSeries.FEATURES, SyntheticSeries.seasonal(40, 1),
        1_000, 2_000));
  }

  @Test
  void versionsIncreasePerKeyAndTheArtifactMatchesItsSha256(@TempDir Path dir) throws IOException {
    ModelStore store = new ModelStore(dir, 5);
    StoredModel v1 = store.save(model, T0);
    StoredModel v2 = store.save(model, T0.plusSeconds(60));

    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.artifact()).isEqualTo(store.directory(ModelKind.LSTM, model.modelKey()).resolve("v2.zip"))
        .startsWith(dir.resolve("lstm-autoencoder"));
    ModelUpdate u = v2.update();
    assertThat(u.getArtifactUri()).startsWith("file:///").endsWith("/v2.zip");
    assertThat(Paths.get(URI.create(u.getArtifactUri()))).exists();
    assertThat(u.getSha256()).matches("[0-9a-f]{64}").isEqualTo(Artifacts.sha256(v2.artifact()));
    assertThat(u.getKind()).isEqualTo("lstm-autoencoder");
    assertThat(u.getModelKey()).isEqualTo("lstm-autoencoder/checkout/eu/latency.p99");
    assertThat(u.getFeatures()).containsExactlyElementsOf(SyntheticSeries.FEATURES);
    assertThat(u.getTrainedFrom()).isEqualTo(Instant.ofEpochMilli(1_000));
    assertThat(u.getTrainedTo()).isEqualTo(Instant.ofEpochMilli(2_000));
    assertThat(u.getCreatedAt()).isEqualTo(T0.plusSeconds(60));

    @SuppressWarnings("unchecked")
    Map<String, Object> json = new ObjectMapper().readValue(v2.metadata().toFile(), Map.class);
    assertThat(json).containsEntry("modelKey", u.getModelKey()).containsEntry("kind", "lstm-autoencoder")
        .containsEntry("version", 2).containsEntry("sha256", u.getSha256()).containsKeys("calibration", "features",
            "trainedFrom", "trainedTo", "createdAt", "training");
    assertThat((Map<String, Object>) json.get("training")).containsKeys("samples", "epochs", "finalLoss",
        "trainingMillis").containsEntry("windows", 40);

    assertThat(ModelStore.load(u).params().toFloatVector()).containsExactly(model.net().params().toFloatVector());
  }

  @Test
  void keepsOnlyTheNewestVersionsAndListsTheLatestPerKey(@TempDir Path dir) {
    ModelStore store = new ModelStore(dir, 2);
    for (int i = 0; i < 4; i++) {
      store.save(model, T0.plusSeconds(i));
    }
    TrainedModel other = new TrainedModel(ModelKind.DENSE, ModelKind.entityKey("web-1"), model.net(),
        model.features(), model.calibration(), 0, 1, 1, 1, 1, 0.1, 0.1, 1);
    store.save(other, T0);

    assertThat(store.all()).extracting(StoredModel::modelKey, StoredModel::version).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(model.modelKey(), 3L), org.assertj.core.groups.Tuple.tuple(
            model.modelKey(), 4L), org.assertj.core.groups.Tuple.tuple("dense-autoencoder/web-1", 1L));
    Path keyDir = store.directory(ModelKind.LSTM, model.modelKey());
    assertThat(keyDir.resolve("v1.zip")).doesNotExist();
    assertThat(keyDir.resolve("v2.json")).doesNotExist();
    assertThat(store.latest()).extracting(StoredModel::modelKey, StoredModel::version).containsExactly(
        org.assertj.core.groups.Tuple.tuple("dense-autoencoder/web-1", 1L),
        org.assertj.core.groups.Tuple.tuple(model.modelKey(), 4L));
    assertThat(store.latest(ModelKind.LSTM, model.modelKey())).get().extracting(StoredModel::version)
        .isEqualTo(4L);
    // the next version continues above the newest, not above the count
    assertThat(store.save(model, T0).version()).isEqualTo(5);
  }

  @Test
  void refusesAnArtifactWhoseSha256DoesNotMatch(@TempDir Path dir) throws IOException {
    StoredModel v1 = new ModelStore(dir, 3).save(model, T0);
    Files.write(v1.artifact(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> ModelStore.load(v1.update())).isInstanceOf(IOException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void keysThatDifferOnlyInPunctuationGetDistinctDirectories(@TempDir Path dir) {
    ModelStore store = new ModelStore(dir, 1);
    assertThat(store.directory(ModelKind.LSTM, "lstm-autoencoder/a/b_c"))
        .isNotEqualTo(store.directory(ModelKind.LSTM, "lstm-autoencoder/a_b/c"));
    assertThat(store.directory(ModelKind.LSTM, "lstm-autoencoder/../x").getParent())
        .isEqualTo(dir.toAbsolutePath().resolve("lstm-autoencoder"));
    assertThat(List.of(store.root())).containsExactly(dir.toAbsolutePath().normalize());
  }
}
