package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.flinkjobs.model.Artifacts;
import io.autonomic.config.ConfigException;
import io.autonomic.config.ConfigLoader;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.model.Networks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceEngineTest {
  static final int F = 4;
  static final int N = 16;

  @TempDir
  Path dir;

  @AfterEach
  void forget() {
    ModelCache.clear();
  }

  @Test
  void javaIsTheDefaultAndDl4jStaysSelectable() {
    assertThat(new DetectorOptions().modelEngine).isEqualTo("java");
    DetectorOptions dl4j = DetectorOptions.from(ConfigLoader.load(null, List.of("detector.model.engine=DL4J"),
        Map.of(), Map.of()));
    assertThat(InferenceEngine.of(dl4j.modelEngine)).isEqualTo(InferenceEngine.DL4J);
    assertThatThrownBy(() -> DetectorOptions.from(ConfigLoader.load(null, List.of("detector.model.engine=onnx"),
        Map.of(), Map.of()))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("detector.model.engine: unknown inference engine 'onnx'; valid: java, dl4j");
  }

  @Test
  void javaRunsAVerifiedLstmArtifactWithDl4jsResults() throws Exception {
    ModelSpec spec = artifact(Networks.lstmAutoencoder(F, N, 16, 3, 0.01), "lstm-autoencoder/web-1/cpu");
    Reconstructor java = roundTrip(InferenceEngine.JAVA.factory()).create(spec);
    Reconstructor dl4j = roundTrip(InferenceEngine.DL4J.factory()).create(spec);
    assertThat(java).isInstanceOf(JavaLstmReconstructor.class);
    assertThat(dl4j).isInstanceOf(Dl4jReconstructor.class);

    // the detector's whole inference path (BatchScorer: batch assembly, unscaling) gives the same scores
    List<ModelScoring> viaJava = score(new BatchScorer(s -> java), spec, 100);
    List<ModelScoring> viaDl4j = score(new BatchScorer(s -> dl4j), spec, 100);
    for (int b = 0; b < 100; b++) {
      assertThat(viaJava.get(b).error).as("error %d", b)
          .isCloseTo(viaDl4j.get(b).error, within(1e-7 + 1e-4 * viaDl4j.get(b).error));
      for (int i = 0; i < F; i++) {
        assertThat(viaJava.get(b).expected[i]).as("expected %d of window %d", i, b)
            .isCloseTo(viaDl4j.get(b).expected[i], within(1e-4 * spec.scaleStd[i]));
      }
    }
  }

  @Test
  void aNewerVersionIsScoredWithItsOwnWeights() throws Exception {
    // the detector's hot swap: one BatchScorer per inference thread, the same model key, a new artifact
    ModelSpec v1 = artifact(Networks.lstmAutoencoder(F, N, 16, 3, 0.01), "lstm-autoencoder/web-4/cpu");
    ModelSpec v2 = artifact(Networks.lstmAutoencoder(F, N, 16, 4, 0.01), "lstm-autoencoder/web-4/cpu-v2");
    v2.modelKey = v1.modelKey;
    v2.version = 2;
    BatchScorer java = new BatchScorer(InferenceEngine.JAVA.factory());
    BatchScorer dl4j = new BatchScorer(InferenceEngine.DL4J.factory());
    for (ModelSpec v : List.of(v1, v2, v1)) {
      List<ModelScoring> a = score(java, v, 20);
      List<ModelScoring> b = score(dl4j, v, 20);
      for (int i = 0; i < 20; i++) {
        assertThat(a.get(i).error).as("v%d window %d", v.version, i)
            .isCloseTo(b.get(i).error, within(1e-7 + 1e-4 * b.get(i).error));
      }
    }
    assertThat(score(java, v1, 1).get(0).error).isNotEqualTo(score(java, v2, 1).get(0).error);
  }

  @Test
  void javaFallsBackToDl4jForANetworkOfAnotherShape() throws Exception {
    // an LSTM announcement whose artifact is not the contract's autoencoder (here N does not match)
    ModelSpec spec = artifact(Networks.lstmAutoencoder(F, 8, 16, 3, 0.01), "lstm-autoencoder/web-2/cpu");
    assertThat(InferenceEngine.JAVA.factory().create(spec)).isInstanceOf(Dl4jReconstructor.class);
  }

  @Test
  void javaRefusesAnArtifactWhoseChecksumDoesNotMatch() throws Exception {
    ModelSpec spec = artifact(Networks.lstmAutoencoder(F, N, 16, 3, 0.01), "lstm-autoencoder/web-3/cpu");
    spec.sha256 = "00" + spec.sha256.substring(2);
    assertThatThrownBy(() -> InferenceEngine.JAVA.factory().create(spec)).isInstanceOf(ArtifactException.class)
        .hasMessageContaining("sha256 mismatch");
  }

  private ModelSpec artifact(MultiLayerNetwork net, String key) throws Exception {
    Path file = dir.resolve(key.replace('/', '_') + ".zip");
    ModelSerializer.writeModel(net, file.toFile(), false);
    ModelSpec s = new ModelSpec();
    s.modelKey = key;
    s.kind = ModelSpec.LSTM_AUTOENCODER;
    s.version = 1;
    s.artifactUri = file.toUri().toString();
    s.sha256 = Artifacts.sha256(file);
    s.features = new String[] {"mean", "std", "max", "p95"};
    s.featureIndex = new int[] {1, 2, 4, 8};
    s.sequenceLength = N;
    s.scaleMean = new double[] {50, 5, 80, 70};
    s.scaleStd = new double[] {10, 2, 15, 12};
    return s;
  }

  private static List<ModelScoring> score(BatchScorer scorer, ModelSpec spec, int count) throws Exception {
    Random r = new Random(11);
    List<ModelScoring> done = new ArrayList<>();
    List<BatchScorer.Pending> batch = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      float[] seq = new float[F * N];
      for (int i = 0; i < seq.length; i++) {
        seq[i] = (float) Math.max(-10, Math.min(10, r.nextGaussian() * 2));
      }
      batch.add(new BatchScorer.Pending(ModelScoring.request(new SeriesFeatures(), spec, seq), done::add));
    }
    scorer.run(spec.artifactId(), batch);
    assertThat(done).hasSize(count);
    return done;
  }

  /** The factory as Flink ships it with the job graph. */
  private static BatchScorer.Factory roundTrip(BatchScorer.Factory f) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(f);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (BatchScorer.Factory) in.readObject();
    }
  }
}
