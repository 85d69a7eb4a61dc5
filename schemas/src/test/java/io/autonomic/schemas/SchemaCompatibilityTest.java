package io.autonomic.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract's evolution rules: every schema reads data written with its released copy, everything is
 * documented, nullable fields default to null. Breaking a rule fails {@code mvn verify} with a message naming
 * the schema and the field.
 */
class SchemaCompatibilityTest {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaCompatibilityTest.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path CURRENT = Path.of("src/main/avro");
  static final Path RELEASED = Path.of("released");
  static final String LABEL = "schemas/released";

  @TempDir
  Path temp;

  @Test
  void everySchemaShouldBeBackwardCompatibleWithItsReleasedCopy() {
    SchemaCompatibilityCheck.Result result = SchemaCompatibilityCheck.check(CURRENT, RELEASED, LABEL);

    if (!result.unreleased().isEmpty()) {
      LOG.warn("Schemas without a released copy in {} (new, allowed): {}", LABEL, result.unreleased());
    }
    if (!result.problems().isEmpty()) {
      fail(String.join("\n", result.problems()));
    }
  }

  @Test
  void everyRecordEnumAndFieldShouldHaveADoc() {
    List<String> missing = new ArrayList<>();
    SchemaCompatibilityCheck.parseDirectory(CURRENT).values()
        .forEach(s -> missing.addAll(SchemaCompatibilityCheck.missingDocs(s)));

    assertThat(missing).isEmpty();
  }

  @Test
  void everyNullableFieldShouldDefaultToNull() {
    List<String> wrong = new ArrayList<>();
    for (Schema schema : SchemaCompatibilityCheck.parseDirectory(CURRENT).values()) {
      forEachRecord(schema, record -> record.getFields().stream()
          .filter(f -> f.schema().isNullable())
          .filter(f -> f.schema().getTypes().get(0).getType() != Schema.Type.NULL
              || f.defaultVal() != JsonProperties.NULL_VALUE)
          .forEach(f -> wrong.add(record.getName() + "." + f.name())));
    }

    assertThat(wrong).as("nullable fields must be [\"null\", T] with \"default\": null").isEmpty();
  }

  @Test
  void shouldGenerateOneClassPerTopicSchemaMatchingTheContract() {
    Map<String, Schema> contract = SchemaCompatibilityCheck.parseDirectory(CURRENT);

    for (Topic topic : Topics.ALL) {
      if (!topic.raw()) {
        Schema file = contract.get(topic.valueClass().getSimpleName());
        assertThat(file).as(topic.name() + " has a schema file").isNotNull();
        assertThat(SchemaNormalization.toParsingForm(topic.valueSchema()))
            .isEqualTo(SchemaNormalization.toParsingForm(file));
      }
    }
    assertThat(contract).containsKeys("MetricPoint", "LogRecord", "DeadLetter", "AnomalyEvent", "Incident",
        "ActionCommand", "ActionResult", "AuditRecord", "ModelUpdate");
  }

  // --- the checker itself catches breaking changes ------------------------------------------------------------

  @Test
  void shouldCatchANewFieldWithoutDefault() throws IOException {
    Path broken = copyWith("MetricPoint", s -> fields(s).addObject().put("name", "region").put("type", "string")
        .put("doc", "Region."));

    assertThat(SchemaCompatibilityCheck.check(broken, RELEASED, LABEL).problems()).containsExactly(
        "MetricPoint is not BACKWARD-compatible with schemas/released/MetricPoint.avsc: field 'region' (at /fields/8)"
            + " has no default, so data written without it cannot be read");
  }

  @Test
  void shouldCatchANullableFieldMadeRequired() throws IOException {
    Path broken = copyWith("MetricPoint", s -> ((ObjectNode) fields(s).get(3)).put("type", "string").remove("default"));

    assertThat(SchemaCompatibilityCheck.check(broken, RELEASED, LABEL).problems()).singleElement().asString()
        .startsWith("MetricPoint is not BACKWARD-compatible with schemas/released/MetricPoint.avsc: field 'unit' "
            + "(at /fields/3) changed type: reader type: STRING not compatible with writer type: NULL");
  }

  @Test
  void shouldCatchATypeChangeInANestedRecord() throws IOException {
    Path broken = copyWith("AnomalyEvent", s -> {
      ObjectNode contributions = (ObjectNode) fields(s).get(10);
      ObjectNode expected = (ObjectNode) contributions.get("type").get("items").get("fields").get(2);
      expected.put("type", "string").remove("default");
    });

    assertThat(SchemaCompatibilityCheck.check(broken, RELEASED, LABEL).problems()).containsExactly(
        "AnomalyEvent is not BACKWARD-compatible with schemas/released/AnomalyEvent.avsc: field "
            + "'contributions[].expected' (at /fields/10/type/items/fields/2) changed type: reader type: STRING not "
            + "compatible with writer type: NULL",
        "AnomalyEvent is not BACKWARD-compatible with schemas/released/AnomalyEvent.avsc: field "
            + "'contributions[].expected' (at /fields/10/type/items/fields/2) changed type: reader type: STRING not "
            + "compatible with writer type: DOUBLE");
  }

  @Test
  void shouldCatchARemovedEnumSymbolInEverySchemaUsingIt() throws IOException {
    Path broken = copyWith("Severity", s -> {
      ArrayNode symbols = (ArrayNode) s.get("symbols");
      symbols.remove(symbols.size() - 1);
    });

    List<String> problems = SchemaCompatibilityCheck.check(broken, RELEASED, LABEL).problems();

    assertThat(problems).hasSize(3).allSatisfy(p -> assertThat(p).contains("lacks symbols [CRITICAL]"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("Incident is not BACKWARD-compatible with "
        + "schemas/released/Incident.avsc: enum 'severity' (at /fields/3) lacks symbols [CRITICAL]"));
  }

  @Test
  void shouldAcceptANewNullableFieldWithDefaultNull() throws IOException {
    Path evolved = copyWith("MetricPoint", s -> fields(s).addObject().put("name", "region")
        .putNull("default").put("doc", "Region.").set("type", JSON.createArrayNode().add("null").add("string")));

    assertThat(SchemaCompatibilityCheck.check(evolved, RELEASED, LABEL).problems()).isEmpty();
  }

  @Test
  void shouldReportNewSchemasAndCatchRemovedOnes() throws IOException {
    Path changed = copyWith("MetricPoint", s -> s.put("name", "Gauge"));
    Files.move(changed.resolve("MetricPoint.avsc"), changed.resolve("Gauge.avsc"));

    SchemaCompatibilityCheck.Result result = SchemaCompatibilityCheck.check(changed, RELEASED, LABEL);

    assertThat(result.unreleased()).containsExactly("Gauge");
    assertThat(result.problems()).singleElement().asString()
        .startsWith("MetricPoint was released (schemas/released/MetricPoint.avsc) but ");
  }

  @Test
  void shouldCatchAMissingDoc() throws IOException {
    Path undocumented = copyWith("MetricPoint", s -> ((ObjectNode) fields(s).get(3)).remove("doc"));

    Schema schema = SchemaCompatibilityCheck.parseDirectory(undocumented).get("MetricPoint");

    assertThat(SchemaCompatibilityCheck.missingDocs(schema))
        .containsExactly("field io.autonomic.avro.MetricPoint.unit has no doc");
  }

  // --- helpers ----------------------------------------------------------------------------------------------

  /** A copy of src/main/avro in a temporary directory with one schema edited. */
  private Path copyWith(String name, Consumer<ObjectNode> edit) throws IOException {
    Path dir = Files.createDirectories(temp.resolve("avro"));
    try (Stream<Path> files = Files.list(CURRENT)) {
      for (Path file : files.toList()) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
    Path file = dir.resolve(name + ".avsc");
    ObjectNode schema = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(schema);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), schema);
    return dir;
  }

  private static ArrayNode fields(ObjectNode schema) {
    return (ArrayNode) schema.get("fields");
  }

  private static void forEachRecord(Schema schema, Consumer<Schema> action) {
    switch (schema.getType()) {
      case RECORD:
        action.accept(schema);
        schema.getFields().forEach(f -> forEachRecord(f.schema(), action));
        break;
      case ARRAY:
        forEachRecord(schema.getElementType(), action);
        break;
      case MAP:
        forEachRecord(schema.getValueType(), action);
        break;
      case UNION:
        schema.getTypes().forEach(s -> forEachRecord(s, action));
        break;
      default:
    }
  }
}
