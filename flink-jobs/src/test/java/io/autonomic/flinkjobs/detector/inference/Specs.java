package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.avro.ModelUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Model announcements for unit tests. */
public final class Specs {
  private Specs() {}

  /** An LSTM model of features mean and max, N = 3, mean scaled around 10 ± 2 and max around 20 ± 4. */
  public static ModelUpdate lstm(String key, long version) {
    return ModelUpdate.newBuilder()
        .setModelKey(key)
        .setVersion(version)
        .setKind(ModelSpec.LSTM_AUTOENCODER)
        .setArtifactUri("file:///models/" + version + ".zip")
        .setSha256("ab" + version)
        .setFeatures(List.of("mean", "max"))
        .setCalibration(Map.of("sequence.length", 3.0, "scale.mean.mean", 10.0, "scale.std.mean", 2.0,
            "scale.mean.max", 20.0, "scale.std.max", 4.0, "error.mad", 0.01))
        .setTrainedFrom(Instant.EPOCH)
        .setTrainedTo(Instant.EPOCH)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }
}
