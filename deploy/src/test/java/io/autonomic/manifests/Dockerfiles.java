package io.autonomic.manifests;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stages of a Dockerfile ({@code FROM image AS name}), the only part the tests need; no served library parses
 * Dockerfiles in Java, and the FROM line's grammar is one line.
 */
final class Dockerfiles {
  private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
  private static final Pattern CMD = Pattern.compile("(?i)^CMD\\s+(.*)$");

  private Dockerfiles() {}

  /** A stage: its base image and the CMD line it sets (null when it inherits one). */
  record Stage(String name, String base, String cmd) {}

  /** Stages by name, in order; unnamed stages are keyed by their index. */
  static Map<String, Stage> stages(Path dockerfile) {
    Map<String, Stage> stages = new LinkedHashMap<>();
    String current = null;
    String base = null;
    String cmd = null;
    int index = 0;
    for (String raw : DeployFiles.read(dockerfile).split("\n")) {
      String line = raw.strip();
      Matcher from = FROM.matcher(line);
      if (from.matches()) {
        if (current != null) {
          stages.put(current, new Stage(current, base, cmd));
        }
        current = from.group(2) == null ? Integer.toString(index) : from.group(2).toLowerCase(Locale.ROOT);
        base = from.group(1);
        cmd = null;
        index++;
        continue;
      }
      Matcher c = CMD.matcher(line);
      if (c.matches()) {
        cmd = c.group(1);
      }
    }
    if (current != null) {
      stages.put(current, new Stage(current, base, cmd));
    }
    return stages;
  }
}
