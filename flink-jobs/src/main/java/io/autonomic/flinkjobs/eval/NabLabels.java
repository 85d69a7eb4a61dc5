package io.autonomic.flinkjobs.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** NAB's {@code combined_windows.json}: relative data path to its anomaly windows (epoch ms). */
public final class NabLabels {

  private final Map<String, List<long[]>> windows;

  private NabLabels(Map<String, List<long[]>> windows) {
    this.windows = windows;
  }

  public static NabLabels load(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": expected a JSON object of path -> [[start, end], ...]");
    }
    Map<String, List<long[]>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      List<long[]> ws = new ArrayList<>();
      for (JsonNode w : e.getValue()) {
        if (!w.isArray() || w.size() != 2) {
          throw new IOException(file + ": window of '" + e.getKey() + "' is not [start, end]: " + w);
        }
        try {
          ws.add(new long[] {
            NabTimestamps.parseMillis(w.get(0).asText()), NabTimestamps.parseMillis(w.get(1).asText())
          });
        } catch (IllegalArgumentException ex) {
          throw new IOException(file + ": window of '" + e.getKey() + "': " + ex.getMessage(), ex);
        }
      }
      out.put(normalize(e.getKey()), ws);
    }
    return new NabLabels(out);
  }

  /** Windows of a data file given its path relative to the data dir (suffix match either way). */
  public Optional<List<long[]>> windowsFor(String relativePath) {
    String rel = normalize(relativePath);
    List<long[]> exact = windows.get(rel);
    if (exact != null) {
      return Optional.of(exact);
    }
    for (Map.Entry<String, List<long[]>> e : windows.entrySet()) {
      if (e.getKey().endsWith("/" + rel) || rel.endsWith("/" + e.getKey())) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  private static String normalize(String p) {
    return p.replace('\\', '/');
  }
}
