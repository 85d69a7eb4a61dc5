package io.autonomic.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Config} from, lowest precedence first: a YAML file, environment variables
 * ({@code AUTONOMIC_*}), and {@code key=value} flag overrides.
 *
 * <p>The YAML may nest or use dotted keys; both flatten to the same dotted key:
 * <pre>
 * kafka:
 *   bootstrap.servers: broker-1:9092
 *   security.protocol: SASL_SSL
 * registry:
 *   url: https://registry:8081
 * </pre>
 * We read YAML with Jackson's streaming parser rather than a tree so each value keeps its line number.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Config load(Path file, List<String> overrides) {
    return load(file, overrides, System.getenv(), Map.of());
  }

  /**
   * @param file the YAML file, or null for none; a file that is named but missing is an error
   * @param overrides {@code key=value} flags
   * @param discovered values found elsewhere (the local stack's addresses), below the file
   */
  public static Config load(Path file, List<String> overrides, Map<String, String> env,
      Map<String, Config.Entry> discovered) {
    Map<String, Config.Entry> entries = new LinkedHashMap<>(discovered);
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(file + ": config file not found");
      }
      try (Reader r = Files.newBufferedReader(file)) {
        entries.putAll(parseYaml(r, file.getFileName().toString()));
      } catch (IOException e) {
        throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
      }
    }
    return new Config(entries, parseOverrides(overrides), env);
  }

  static Map<String, Config.Entry> parseYaml(Reader reader, String name) throws IOException {
    Map<String, Config.Entry> out = new LinkedHashMap<>();
    Deque<String> path = new ArrayDeque<>();
    try (JsonParser p = new YAMLFactory().createParser(reader)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return out; // an empty file is an empty config
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(name + ":" + p.currentTokenLocation().getLineNr()
            + ": expected a mapping of keys to values at the top level");
      }
      readObject(p, path, out, name);
    } catch (JsonProcessingException e) {
      throw new ConfigException(name + ":" + e.getLocation().getLineNr() + ": invalid YAML: "
          + e.getOriginalMessage());
    }
    return out;
  }

  private static void readObject(JsonParser p, Deque<String> path, Map<String, Config.Entry> out,
      String name) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      path.addLast(p.currentName());
      JsonToken t = p.nextToken();
      String key = String.join(".", path);
      int line = p.currentTokenLocation().getLineNr();
      if (t == JsonToken.START_OBJECT) {
        readObject(p, path, out, name);
      } else if (t == JsonToken.START_ARRAY) {
        out.put(key, new Config.Entry(readList(p, key, name), name + ":" + line));
      } else if (t != JsonToken.VALUE_NULL) {
        out.put(key, new Config.Entry(p.getValueAsString(), name + ":" + line));
      }
      path.removeLast();
    }
  }

  /** A list of scalars becomes a comma-separated value, as Kafka's list settings expect. */
  private static String readList(JsonParser p, String key, String name) throws IOException {
    StringBuilder sb = new StringBuilder();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        throw new ConfigException(name + ":" + p.currentTokenLocation().getLineNr() + ": key '" + key
            + "': expected a list of plain values");
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(p.getValueAsString());
    }
    return sb.toString();
  }

  private static Map<String, Config.Entry> parseOverrides(List<String> overrides) {
    Map<String, Config.Entry> out = new LinkedHashMap<>();
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("flag --set " + o + ": expected key=value");
      }
      out.put(o.substring(0, eq).trim(), new Config.Entry(o.substring(eq + 1), "flag --set " + o.substring(0, eq).trim()));
    }
    return out;
  }
}
