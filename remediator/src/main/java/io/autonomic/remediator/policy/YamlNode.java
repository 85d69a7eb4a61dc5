package io.autonomic.remediator.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on and its dotted path, so that every validation error can name
 * the file, the line and the key. Jackson's tree model drops token locations, so we build this small tree
 * from its streaming parser (the technique of {@link io.autonomic.config.ConfigLoader}).
 */
public final class YamlNode {
  private final String file;
  private final String path;
  private final int line;
  private final String scalar; // null for maps, lists and null values
  private final Map<String, YamlNode> map;
  private final List<YamlNode> list;

  private YamlNode(String file, String path, int line, String scalar, Map<String, YamlNode> map,
      List<YamlNode> list) {
    this.file = file;
    this.path = path;
    this.line = line;
    this.scalar = scalar;
    this.map = map;
    this.list = list;
  }

  /** Parses a YAML document; an empty document is an empty map. */
  public static YamlNode parse(Reader reader, String file) {
    try (JsonParser p = new YAMLFactory().createParser(reader)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new YamlNode(file, "", 1, null, new LinkedHashMap<>(), null);
      }
      return read(p, file, "");
    } catch (JsonProcessingException e) {
      throw new PolicyException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "",
          "invalid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PolicyException(file, 0, "", "cannot read: " + e.getMessage());
    }
  }

  private static YamlNode read(JsonParser p, String file, String path) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, YamlNode> m = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int keyLine = p.currentTokenLocation().getLineNr();
        String child = path.isEmpty() ? name : path + "." + name;
        if (m.containsKey(name)) {
          throw new PolicyException(file, keyLine, child, "duplicate key");
        }
        p.nextToken();
        m.put(name, read(p, file, child));
      }
      return new YamlNode(file, path, line, null, m, null);
    }
    if (t == JsonToken.START_ARRAY) {
      List<YamlNode> l = new ArrayList<>();
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        l.add(read(p, file, path + "[" + i++ + "]"));
      }
      return new YamlNode(file, path, line, null, null, l);
    }
    if (t == JsonToken.VALUE_NULL) {
      return new YamlNode(file, path, line, null, null, null);
    }
    return new YamlNode(file, path, line, p.getValueAsString(), null, null);
  }

  public String file() {
    return file;
  }

  public String path() {
    return path;
  }

  public int line() {
    return line;
  }

  public boolean isMap() {
    return map != null;
  }

  public boolean isList() {
    return list != null;
  }

  public boolean isNull() {
    return map == null && list == null && scalar == null;
  }

  /** An error about this node: file, line and key. */
  public PolicyException error(String message) {
    return new PolicyException(file, line, path, message);
  }

  /** The map entries; an error if this is not a map. */
  public Map<String, YamlNode> fields() {
    if (map == null) {
      throw error("expected a mapping of keys to values");
    }
    return Collections.unmodifiableMap(map);
  }

  /** The list items; an error if this is not a list. A single scalar reads as a one-element list. */
  public List<YamlNode> items() {
    if (list != null) {
      return Collections.unmodifiableList(list);
    }
    if (scalar != null) {
      return List.of(this);
    }
    throw error("expected a list");
  }

  /** The scalar text; an error for maps and lists. */
  public String text() {
    if (scalar == null) {
      throw error(isNull() ? "a value is required" : "expected a plain value");
    }
    return scalar;
  }

  /** Rejects keys not in {@code allowed}, naming the first unknown one and what is allowed. */
  public YamlNode onlyKeys(String... allowed) {
    List<String> ok = List.of(allowed);
    for (YamlNode child : fields().values()) {
      String key = child.path.substring(child.path.lastIndexOf('.') + 1);
      if (!ok.contains(key)) {
        throw new PolicyException(file, child.line, child.path, "unknown key; expected one of " + ok);
      }
    }
    return this;
  }

  /** The child {@code key} of this map, or null. */
  public YamlNode get(String key) {
    YamlNode n = fields().get(key);
    return n == null || n.isNull() ? null : n;
  }

  /** The child {@code key}, which must be present. */
  public YamlNode require(String key) {
    YamlNode n = get(key);
    if (n == null) {
      throw new PolicyException(file, line, path.isEmpty() ? key : path + "." + key, "required key is missing");
    }
    return n;
  }
}
