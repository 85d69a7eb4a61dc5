package io.autonomic.remediator.policy;

/** A policy file that cannot be used, with the file, the line and the key at fault. */
public final class PolicyException extends RuntimeException {
  private final String file;
  private final int line;
  private final String key;

  public PolicyException(String file, int line, String key, String problem) {
    super(file + ":" + line + (key == null || key.isEmpty() ? "" : ": key '" + key + "'") + ": " + problem);
    this.file = file;
    this.line = line;
    this.key = key;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String key() {
    return key;
  }
}
