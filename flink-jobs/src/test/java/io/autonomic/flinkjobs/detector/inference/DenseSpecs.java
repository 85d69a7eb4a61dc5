package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Dense-autoencoder announcements and entity windows for unit tests. */
final class DenseSpecs {
  private DenseSpecs() {}

  /**
   * A dense model of entity {@code svc} over cpu:mean (50 ± 5), latency:mean (200 ± 20) and latency:max
   * (220 ± 10), training error MAD 0.01.
   */
  static ModelUpdate dense(long version) {
    Map<String, Double> calibration = new HashMap<>(Map.of(
        "scale.mean.cpu:mean", 50.0, "scale.std.cpu:mean", 5.0,
        "scale.mean.latency:mean", 200.0, "scale.std.latency:mean", 20.0,
        "scale.mean.latency:max", 220.0, "scale.std.latency:max", 10.0,
        "error.median", 0.02, "error.mad", 0.01, "error.p99", 0.1));
    return ModelUpdate.newBuilder()
        .setModelKey(ModelSpec.denseKey("svc"))
        .setVersion(version)
        .setKind(ModelSpec.DENSE_AUTOENCODER)
        .setArtifactUri("file:///models/dense-" + version + ".zip")
        .setSha256("cd" + version)
        .setFeatures(List.of("cpu:mean", "latency:mean", "latency:max"))
        .setCalibration(calibration)
        .setTrainedFrom(Instant.EPOCH)
        .setTrainedTo(Instant.EPOCH)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }

  static SeriesFeatures series(String metric, double mean, double max) {
    SeriesFeatures f = new SeriesFeatures();
    f.entityId = "svc";
    f.metric = metric;
    f.windowStart = 0;
    f.windowEnd = 60_000;
    f.count = 10;
    f.mean = mean;
    f.min = mean;
    f.max = max;
    f.tags = Map.of();
    return f;
  }

  static EntityVector vector(SeriesFeatures... series) {
    return new EntityVector("svc", 0, 60_000, new ArrayList<>(List.of(series)));
  }
}
