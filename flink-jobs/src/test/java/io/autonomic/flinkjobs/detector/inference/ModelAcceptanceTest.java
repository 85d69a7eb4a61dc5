package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.inference.ModelAcceptance.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelAcceptanceTest {
  private final List<String> verified = new ArrayList<>();
  private final ModelAcceptance.Verifier ok = s -> verified.add(s.artifactUri);

  @Test
  void aFirstVersionIsVerifiedAndAccepted() {
    ModelAcceptance.Decision d = ModelAcceptance.decide(Specs.lstm("k", 1), null, ok);

    assertThat(d.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(d.spec().version).isEqualTo(1);
    assertThat(d.spec().sequenceLength).isEqualTo(3);
    assertThat(d.spec().featureIndex).containsExactly(1, 4);
    assertThat(verified).containsExactly("file:///models/1.zip");
  }

  @Test
  void aVersionThatIsNotNewerIsIgnoredWithoutLoadingIt() {
    ModelSpec running = ModelSpec.from(Specs.lstm("k", 2));

    assertThat(ModelAcceptance.decide(Specs.lstm("k", 2), running, ok).outcome()).isEqualTo(Outcome.STALE);
    assertThat(ModelAcceptance.decide(Specs.lstm("k", 1), running, ok).outcome()).isEqualTo(Outcome.STALE);
    assertThat(verified).isEmpty();
  }

  @Test
  void anArtifactThatFailsVerificationIsRefusedWithTheReason() {
    ModelSpec running = ModelSpec.from(Specs.lstm("k", 1));
    ModelAcceptance.Decision d = ModelAcceptance.decide(Specs.lstm("k", 2), running, s -> {
      throw new ArtifactException("sha256 mismatch for " + s.artifactUri);
    });

    assertThat(d.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(d.spec()).isNull();
    assertThat(d.reason()).contains("sha256 mismatch");
  }

  @Test
  void aMalformedAnnouncementIsRefusedNamingWhatIsWrong() {
    Map<String, Double> calibration = new HashMap<>(Specs.lstm("k", 1).getCalibration());
    calibration.remove("sequence.length");
    ModelUpdate noLength = ModelUpdate.newBuilder(Specs.lstm("k", 1)).setCalibration(calibration).build();
    ModelUpdate unknownFeature = ModelUpdate.newBuilder(Specs.lstm("k", 1)).setFeatures(List.of("median")).build();
    ModelUpdate unknownKind = ModelUpdate.newBuilder(Specs.lstm("k", 1)).setKind("robust-zscore").build();

    assertThat(ModelAcceptance.decide(noLength, null, ok).reason()).contains("sequence.length");
    assertThat(ModelAcceptance.decide(unknownFeature, null, ok).reason()).contains("'median'");
    assertThat(ModelAcceptance.decide(unknownKind, null, ok).outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(verified).isEmpty();
    assertThatThrownBy(() -> ModelSpec.from(unknownKind)).hasMessageContaining("robust-zscore");
  }
}
