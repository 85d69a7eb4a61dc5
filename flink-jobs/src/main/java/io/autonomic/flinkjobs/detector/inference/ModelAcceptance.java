package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.avro.ModelUpdate;

/**
 * Decides what an announced model version does to the one a series runs: accepted (newer, well-formed, artifact
 * verified and loadable), stale (not newer: ignored, as the contract says) or refused (malformed or a bad
 * artifact: the running version stays). Plain Java; the loading is behind {@link Verifier}.
 */
public final class ModelAcceptance {
  public enum Outcome { ACCEPTED, STALE, REFUSED }

  /** The outcome; {@code spec} is the accepted model (null otherwise), {@code reason} says why for the log. */
  public record Decision(Outcome outcome, ModelSpec spec, String reason) {}

  /** Checks an artifact: throws when its checksum does not match or it does not load. */
  @FunctionalInterface
  public interface Verifier extends java.io.Serializable {
    void verify(ModelSpec spec) throws ArtifactException;
  }

  private ModelAcceptance() {}

  /** The decision of the series (LSTM) stage: any other kind is refused there. */
  public static Decision decide(ModelUpdate update, ModelSpec current, Verifier verifier) {
    return decide(update, current, verifier, ModelSpec.LSTM_AUTOENCODER);
  }

  /** The decision of a stage that runs models of {@code kind} only (another kind is refused, naming both). */
  public static Decision decide(ModelUpdate update, ModelSpec current, Verifier verifier, String kind) {
    if (current != null && update.getVersion() <= current.version) {
      return new Decision(Outcome.STALE, null, "not newer than running v" + current.version);
    }
    ModelSpec spec;
    try {
      spec = ModelSpec.from(update);
    } catch (IllegalArgumentException e) {
      return new Decision(Outcome.REFUSED, null, e.getMessage());
    }
    if (!kind.equals(spec.kind)) {
      return new Decision(Outcome.REFUSED, null, "kind '" + spec.kind + "' is not scored by this stage (" + kind
          + ")");
    }
    try {
      verifier.verify(spec);
    } catch (ArtifactException e) {
      return new Decision(Outcome.REFUSED, null, e.getMessage());
    }
    return new Decision(Outcome.ACCEPTED, spec, current == null ? "first version" : "replaces v" + current.version);
  }
}
