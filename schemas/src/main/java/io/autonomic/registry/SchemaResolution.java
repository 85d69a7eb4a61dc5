package io.autonomic.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Whether a reader schema can read data written with a writer schema (Avro schema resolution), explained per
 * problem in words that name the field and its location, e.g.
 * {@code field 'unit' (at /fields/3) has no default, so data written without it cannot be read}.
 *
 * <p>Avro decides; this class only finds where. It descends through records, arrays, maps and unions itself
 * because Avro reports the location of a problem under a union as {@code /}.
 */
public final class SchemaResolution {
  private SchemaResolution() {}

  /** Why {@code reader} cannot read data written with {@code writer}; empty when it can. */
  public static List<String> problems(Schema reader, Schema writer) {
    List<String> problems = new ArrayList<>();
    collect(reader, writer, "", "", problems, new HashSet<>());
    return problems;
  }

  private static boolean compatible(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
        == SchemaCompatibilityType.COMPATIBLE;
  }

  /**
   * @param path     dotted field path of the current schema ({@code contributions[].expected}), empty at the top
   * @param location Avro-style location of the current schema ({@code /fields/10/type/items/fields/2/type})
   * @param active   record pairs being descended into, so recursive types end
   */
  private static void collect(Schema reader, Schema writer, String path, String location, List<String> out,
      Set<String> active) {
    if (compatible(reader, writer)) {
      return;
    }
    Schema.Type r = reader.getType();
    Schema.Type w = writer.getType();
    if (w == Schema.Type.UNION) {
      // Each writer branch must be readable; descend into the one(s) that are not.
      for (int i = 0; i < writer.getTypes().size(); i++) {
        Schema branch = writer.getTypes().get(i);
        if (!compatible(reader, branch)) {
          collect(r == Schema.Type.UNION ? matchingBranch(reader, branch) : reader, branch, path,
              location + "/" + i, out, active);
        }
      }
      return;
    }
    if (r == Schema.Type.UNION && matchingBranch(reader, writer) != reader) {
      collect(matchingBranch(reader, writer), writer, path, location, out, active);
      return;
    }
    if (r == Schema.Type.RECORD && w == Schema.Type.RECORD && sameName(reader, writer)) {
      String pair = reader.getFullName() + "<-" + writer.getFullName();
      if (!active.add(pair)) {
        return;
      }
      int before = out.size();
      for (Schema.Field field : reader.getFields()) {
        String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
        String fieldLocation = location + "/fields/" + field.pos();
        Schema.Field written = writerField(writer, field);
        if (written == null) {
          if (!field.hasDefaultValue()) {
            out.add("field '" + fieldPath + "' (at " + fieldLocation + ") has no default, so data written without "
                + "it cannot be read");
          }
        } else {
          collect(field.schema(), written.schema(), fieldPath, fieldLocation + "/type", out, active);
        }
      }
      active.remove(pair);
      if (out.size() > before) {
        return;
      }
    } else if (r == Schema.Type.ARRAY && w == Schema.Type.ARRAY) {
      collect(reader.getElementType(), writer.getElementType(), path + "[]", location + "/items", out, active);
      return;
    } else if (r == Schema.Type.MAP && w == Schema.Type.MAP) {
      collect(reader.getValueType(), writer.getValueType(), path + "{}", location + "/values", out, active);
      return;
    }
    for (Incompatibility i : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
        .getIncompatibilities()) {
      out.add(explain(i, reader, path, location));
    }
  }

  /** The reader union's branch that should read {@code written}: same name, else same type; the union if none. */
  private static Schema matchingBranch(Schema readerUnion, Schema written) {
    for (Schema branch : readerUnion.getTypes()) {
      if (branch.getType() == written.getType() && (branch.getName().equals(written.getName())
          || branch.getAliases().contains(written.getFullName()))) {
        return branch;
      }
    }
    return readerUnion.getTypes().stream().filter(b -> b.getType() == written.getType()).findFirst()
        .orElse(readerUnion);
  }

  private static boolean sameName(Schema reader, Schema writer) {
    return reader.getFullName().equals(writer.getFullName()) || reader.getAliases().contains(writer.getFullName());
  }

  private static Schema.Field writerField(Schema writer, Schema.Field readerField) {
    Schema.Field field = writer.getField(readerField.name());
    if (field == null) {
      for (String alias : readerField.aliases()) {
        field = writer.getField(alias);
        if (field != null) {
          break;
        }
      }
    }
    return field;
  }

  private static String explain(Incompatibility i, Schema reader, String path, String location) {
    // Name the field that holds the problem: cut the location after its last /fields/N.
    String at = "(at " + (location.contains("/fields/") ? location.replaceFirst("^(.*/fields/\\d+).*$", "$1") : "/")
        + ")";
    String what = path.isEmpty() ? reader.getFullName() : "'" + path + "'";
    switch (i.getType()) {
      case TYPE_MISMATCH:
        return "field " + what + " " + at + " changed type: " + i.getMessage();
      case NAME_MISMATCH:
        return "field " + what + " " + at + " changed its type's name: " + i.getMessage()
            + "; keep the name or list the old one in aliases";
      case MISSING_ENUM_SYMBOLS:
        return "enum " + what + " " + at + " lacks symbols " + i.getMessage()
            + " that the writer uses; keep them or give the enum a default symbol";
      case MISSING_UNION_BRANCH:
        return "union " + what + " " + at + " lacks a branch the writer uses: " + i.getMessage();
      case READER_FIELD_MISSING_DEFAULT_VALUE:
        return "field '" + (path.isEmpty() ? "" : path + ".") + i.getMessage() + "' " + at
            + " has no default, so data written without it cannot be read";
      default:
        return "field " + what + " " + at + ": " + i.getType() + ": " + i.getMessage();
    }
  }
}
