package io.autonomic.flinkjobs.detector.inference;

/** A model artifact the detector refuses: unreadable, checksum mismatch, or not a loadable network. */
public final class ArtifactException extends Exception {
  private static final long serialVersionUID = 1L;

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }

  public ArtifactException(String message) {
    super(message);
  }
}
