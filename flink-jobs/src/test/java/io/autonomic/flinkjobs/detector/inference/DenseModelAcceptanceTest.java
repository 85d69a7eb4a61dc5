package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.inference.ModelAcceptance.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenseModelAcceptanceTest {
  private final List<String> verified = new ArrayList<>();
  private final ModelAcceptance.Verifier ok = s -> verified.add(s.artifactUri);

  @Test
  void aDenseModelIsAcceptedByTheEntityStageWithItsMetricsAndFeatures() {
    ModelAcceptance.Decision d = ModelAcceptance.decide(DenseSpecs.dense(1), null, ok,
        ModelSpec.DENSE_AUTOENCODER);

    assertThat(d.outcome()).isEqualTo(Outcome.ACCEPTED);
    ModelSpec s = d.spec();
    assertThat(s.dense()).isTrue();
    assertThat(s.metrics).containsExactly("cpu", "latency", "latency");
    assertThat(s.featureIndex).containsExactly(1, 1, 4); // mean, mean, max in SeriesFeatures.NAMES
    assertThat(s.sequenceLength).as("no sequence.length needed").isEqualTo(1);
    assertThat(s.cells()).isEqualTo(3);
    assertThat(verified).containsExactly("file:///models/dense-1.zip");
  }

  @Test
  void staleAndMismatchingVersionsLeaveTheRunningOne() {
    ModelSpec running = ModelSpec.from(DenseSpecs.dense(2));

    assertThat(ModelAcceptance.decide(DenseSpecs.dense(2), running, ok, ModelSpec.DENSE_AUTOENCODER).outcome())
        .isEqualTo(Outcome.STALE);
    ModelAcceptance.Decision bad = ModelAcceptance.decide(DenseSpecs.dense(3), running, s -> {
      throw new ArtifactException("sha256 mismatch for " + s.artifactUri);
    }, ModelSpec.DENSE_AUTOENCODER);
    assertThat(bad.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(bad.reason()).contains("sha256 mismatch");
    assertThat(verified).isEmpty();
  }

  @Test
  void eachStageRefusesTheOtherKindAndMalformedDenseFeaturesAreNamed() {
    assertThat(ModelAcceptance.decide(DenseSpecs.dense(1), null, ok).reason())
        .contains("'dense-autoencoder' is not scored by this stage (lstm-autoencoder)");
    assertThat(ModelAcceptance.decide(Specs.lstm("k", 1), null, ok, ModelSpec.DENSE_AUTOENCODER).outcome())
        .isEqualTo(Outcome.REFUSED);
    ModelUpdate noMetric = ModelUpdate.newBuilder(DenseSpecs.dense(1)).setFeatures(List.of("mean")).build();
    ModelUpdate unknown = ModelUpdate.newBuilder(DenseSpecs.dense(1)).setFeatures(List.of("cpu:median")).build();
    assertThat(ModelAcceptance.decide(noMetric, null, ok, ModelSpec.DENSE_AUTOENCODER).reason())
        .contains("'mean' is not <metric>:<feature>");
    assertThat(ModelAcceptance.decide(unknown, null, ok, ModelSpec.DENSE_AUTOENCODER).reason())
        .contains("'cpu:median' is not a window feature");
    assertThat(verified).isEmpty();
  }
}
