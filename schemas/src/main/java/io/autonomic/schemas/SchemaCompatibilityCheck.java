package io.autonomic.schemas;

import io.autonomic.registry.SchemaResolution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Checks the schemas in {@code src/main/avro} against the released copies in {@code released/}: each must be
 * BACKWARD-compatible with its released copy (a consumer with the new schema reads data written with the
 * released one), so deployed producers and stored data stay readable. Also checks that every record, enum and
 * field has a doc.
 */
public final class SchemaCompatibilityCheck {
  private SchemaCompatibilityCheck() {}

  /**
   * Outcome of a check.
   *
   * @param problems   breaking changes and released schemas that disappeared; empty when compatible
   * @param unreleased schemas that have no released copy yet (allowed: they are new)
   */
  public record Result(List<String> problems, List<String> unreleased) {}

  /**
   * Checks every schema of {@code currentDir} against the file of the same name in {@code releasedDir};
   * {@code releasedLabel} is how messages name the released directory (e.g. {@code schemas/released}).
   */
  public static Result check(Path currentDir, Path releasedDir, String releasedLabel) {
    Map<String, Schema> current = parseDirectory(currentDir);
    Map<String, Schema> released = parseDirectory(releasedDir);
    List<String> problems = new ArrayList<>();
    List<String> unreleased = new ArrayList<>();
    for (Map.Entry<String, Schema> e : current.entrySet()) {
      Schema old = released.get(e.getKey());
      if (old == null) {
        unreleased.add(e.getKey());
      } else {
        problems.addAll(backwardProblems(e.getKey(), e.getValue(), old, releasedLabel + "/" + e.getKey() + ".avsc"));
      }
    }
    for (String name : released.keySet()) {
      if (!current.containsKey(name)) {
        problems.add(name + " was released (" + releasedLabel + "/" + name + ".avsc) but " + currentDir.resolve(
            name + ".avsc") + " is gone; data written with it could no longer be read");
      }
    }
    return new Result(problems, unreleased);
  }

  /**
   * Why {@code current} cannot read data written with {@code released}, one message per problem, each naming
   * the schema, the released file and the field, e.g. {@code MetricPoint is not BACKWARD-compatible with
   * schemas/released/MetricPoint.avsc: field 'unit' (at /fields/3) has no default, ...}. Empty when compatible.
   */
  public static List<String> backwardProblems(String name, Schema current, Schema released, String releasedLabel) {
    List<String> messages = new ArrayList<>();
    for (String problem : SchemaResolution.problems(current, released)) {
      messages.add(name + " is not BACKWARD-compatible with " + releasedLabel + ": " + problem);
    }
    return messages;
  }

  /** Records, enums, fixed types and fields of {@code schema} (and the types it contains) that have no doc. */
  public static List<String> missingDocs(Schema schema) {
    List<String> missing = new ArrayList<>();
    collectMissingDocs(schema, new HashSet<>(), missing);
    return missing;
  }

  private static void collectMissingDocs(Schema schema, Set<String> seen, List<String> missing) {
    switch (schema.getType()) {
      case RECORD:
        if (!seen.add(schema.getFullName())) {
          return;
        }
        if (isBlank(schema.getDoc())) {
          missing.add("record " + schema.getFullName() + " has no doc");
        }
        for (Schema.Field field : schema.getFields()) {
          if (isBlank(field.doc())) {
            missing.add("field " + schema.getFullName() + "." + field.name() + " has no doc");
          }
          collectMissingDocs(field.schema(), seen, missing);
        }
        return;
      case ENUM:
      case FIXED:
        if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
          missing.add(schema.getType().getName() + " " + schema.getFullName() + " has no doc");
        }
        return;
      case ARRAY:
        collectMissingDocs(schema.getElementType(), seen, missing);
        return;
      case MAP:
        collectMissingDocs(schema.getValueType(), seen, missing);
        return;
      case UNION:
        schema.getTypes().forEach(s -> collectMissingDocs(s, seen, missing));
        return;
      default:
    }
  }

  /**
   * Parses every {@code .avsc} file of {@code dir}, by file name without the extension. A file may refer to a
   * named type defined in another file of the directory, whatever the order.
   */
  public static Map<String, Schema> parseDirectory(Path dir) {
    Map<String, Path> pending = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".avsc"))
          .forEach(p -> pending.put(p.getFileName().toString().replaceFirst("\\.avsc$", ""), p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list schemas in " + dir, e);
    }
    Map<String, Schema> parsed = new LinkedHashMap<>();
    Map<String, Schema> knownTypes = new HashMap<>();
    Map<String, String> errors = new TreeMap<>();
    boolean progress = true;
    while (!pending.isEmpty() && progress) {
      progress = false;
      errors.clear();
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var file = it.next();
        // A fresh parser per try: a failed parse may leave half-defined names behind.
        Schema.Parser parser = new Schema.Parser().addTypes(knownTypes);
        try {
          Schema schema = parser.parse(file.getValue().toFile());
          knownTypes.putAll(parser.getTypes());
          parsed.put(file.getKey(), schema);
          it.remove();
          progress = true;
        } catch (SchemaParseException e) {
          errors.put(file.getValue().toString(), e.getMessage());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file.getValue(), e);
        }
      }
    }
    if (!pending.isEmpty()) {
      throw new SchemaParseException("cannot parse " + errors);
    }
    return parsed;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
