package io.autonomic.flinkjobs.detector.inference;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Loads model artifacts once per JVM, by (uri, sha256): reads the bytes, checks the SHA-256 against the announced
 * one, restores the network (no updater) in float32. Every subtask of the JVM then asks for the same artifact and
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

  /** Reads and verifies one artifact, not cached. */
  static MultiLayerNetwork read(String uri, String sha256) throws ArtifactException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Path.of(URI.create(uri)));
    } catch (IOException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new ArtifactException("cannot read " + uri + ": " + e, e);
    }
    String actual = sha256(bytes);
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new ArtifactException("sha256 mismatch for " + uri + ": announced " + sha256 + ", file has " + actual);
    }
    try {
      MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
      if (net.params() != null && net.params().dataType() != DataType.FLOAT) {
        net = net.convertDataType(DataType.FLOAT);
      }
      return net;
    } catch (IOException | RuntimeException e) {
      throw new ArtifactException("cannot restore a MultiLayerNetwork from " + uri + ": " + e, e);
    }
  }

  /** Lower-case hex SHA-256. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Forgets every loaded network (tests and benchmarks). */
  public static void clear() {
    LOADED.clear();
    NEWEST.clear();
  }
}
