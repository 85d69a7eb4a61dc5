package io.autonomic.flinkjobs.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Reads a model artifact of the contract, for the trainer (drift scoring of stored versions) and the detector
 * (through its per-JVM cache): the bytes once, their SHA-256 checked against the announced one (so the network
 * restored is exactly the bytes checked), restored without updater, in float32.
 */
public final class Artifacts {
  private Artifacts() {}

  /**
   * Loads the network at {@code uri} ({@code file:///...}); throws naming the uri when it is unreadable, its sha256
   * does not match the announced one, or it is not a MultiLayerNetwork.
   */
  public static MultiLayerNetwork load(String uri, String sha256) throws IOException {
    Nd4jRuntime.init();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Path.of(URI.create(uri)));
    } catch (IOException | IllegalArgumentException | FileSystemNotFoundException e) {
      throw new IOException("cannot read " + uri + ": " + e, e);
    }
    String actual = sha256(bytes);
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new IOException("sha256 mismatch for " + uri + ": the file has " + actual
          + ", which does not match the announced " + sha256);
    }
    try {
      MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
      if (net.params() != null && net.params().dataType() != DataType.FLOAT) {
        net = net.convertDataType(DataType.FLOAT);
      }
      return net;
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot restore a MultiLayerNetwork from " + uri + ": " + e, e);
    }
  }

  /** Lower-case hex SHA-256 of bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Lower-case hex SHA-256 of a file. */
  public static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }
}
