package io.autonomic.flinkjobs.detector.inference;

import io.autonomic.flinkjobs.model.Artifacts;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Loads model artifacts once per JVM, by (uri, sha256), through {@link Artifacts#load} (the bytes' SHA-256 checked
 * against the announced one, the network restored without updater, in float32). Every subtask of the JVM then asks for the same artifact and
 * gets the loaded network; {@link #clone} gives an inference thread its own copy, because a network's forward pass
 * keeps per-call state and is not thread-safe.
 *
 * <p>Failures are not cached: a refused artifact is refused again if announced again (the trainer may have fixed it).
 */
public final class ModelCache {
  private static final Map<String, MultiLayerNetwork> LOADED = new ConcurrentHashMap<>();
  /** The artifact loaded last per model key: loading a newer version drops the older network. */
  private static final Map<String, String> NEWEST = new ConcurrentHashMap<>();

  private ModelCache() {}

  /** The verified, loaded network of {@code spec}'s artifact; loads and verifies it on first use. */
  public static MultiLayerNetwork load(ModelSpec spec) throws ArtifactException {
    MultiLayerNetwork net = LOADED.get(spec.artifactId());
    if (net != null) {
      return net;
    }
    synchronized (ModelCache.class) {
      net = LOADED.get(spec.artifactId());
      if (net == null) {
        net = read(spec.artifactUri, spec.sha256);
        LOADED.put(spec.artifactId(), net);
        String older = NEWEST.put(spec.modelKey, spec.artifactId());
        if (older != null && !older.equals(spec.artifactId())) {
          LOADED.remove(older);
        }
      }
      return net;
    }
  }

  /** A private copy for one inference thread. */
  public static MultiLayerNetwork clone(ModelSpec spec) throws ArtifactException {
    MultiLayerNetwork prototype = load(spec);
    synchronized (prototype) {
      return prototype.clone();
    }
  }

  /** Reads and verifies one artifact ({@link Artifacts#load}), not cached. */
  static MultiLayerNetwork read(String uri, String sha256) throws ArtifactException {
    try {
      return Artifacts.load(uri, sha256);
    } catch (IOException e) {
      throw new ArtifactException(e.getMessage(), e);
    }
  }

  /** Forgets every loaded network (tests and benchmarks). */
  public static void clear() {
    LOADED.clear();
    NEWEST.clear();
  }
}
