package io.autonomic.flinkjobs.detector.inference;

import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs the models' forward pass (option {@code detector.model.engine}). Either way the artifact is the DL4J
 * network {@link ModelCache} loaded and sha256-verified; DL4J stays the model format and the trainer.
 * <ul>
 *   <li>{@link #JAVA}: LSTM autoencoders of the contract's shape run in {@link JavaLstmReconstructor} (weights copied
 *       from the network; same errors as DL4J to 1e-4 relative, 10-18x faster: docs/benchmarks-lstm.md); any other
 *       network (another kind or layer shape) falls back to {@link BatchScorer#dl4j};</li>
 *   <li>{@link #DL4J}: every model runs in DL4J ({@link BatchScorer#dl4j}).</li>
 * </ul>
 */
public enum InferenceEngine {
  JAVA,
  DL4J;

  private static final Logger LOG = LoggerFactory.getLogger(InferenceEngine.class);

  /** The engine named {@code name} (case-insensitive); {@link IllegalArgumentException} listing the valid names. */
  public static InferenceEngine of(String name) {
    for (InferenceEngine e : values()) {
      if (e.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown inference engine '" + name + "'; valid: " + names());
  }

  /** The valid option values, lower case. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
  }

  /** The reconstructor factory of this engine (serializable: it ships with the job graph). */
  public BatchScorer.Factory factory() {
    return this == JAVA ? InferenceEngine::java : BatchScorer::dl4j;
  }

  /** The plain-Java reconstructor of an LSTM artifact, or DL4J's for a network it cannot run. */
  static Reconstructor java(ModelSpec spec) throws ArtifactException {
    if (!ModelSpec.LSTM_AUTOENCODER.equals(spec.kind)) {
      return BatchScorer.dl4j(spec);
    }
    MultiLayerNetwork net = ModelCache.load(spec);
    LstmAutoencoderWeights weights;
    synchronized (net) { // the JVM-wide network: read its parameters the way ModelCache#clone does
      String why = LstmAutoencoderWeights.unsupported(net, spec.features.length, spec.sequenceLength);
      if (why != null) {
        LOG.warn("model engine java cannot run model={} v{}: {}; running it in dl4j", spec.modelKey, spec.version,
            why);
        return BatchScorer.dl4j(spec);
      }
      weights = LstmAutoencoderWeights.of(net, spec.features.length, spec.sequenceLength);
    }
    return new JavaLstmReconstructor(weights);
  }
}
