package io.autonomic.manifests;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Jackson YAML that rejects every field the target class does not declare.
 *
 * <p>FAIL_ON_UNKNOWN_PROPERTIES alone is not enough for Kubernetes models: fabric8's model classes and Strimzi's
 * keep unknown fields in an {@code @JsonAnySetter} map ({@code additionalProperties}), so a misspelled
 * {@code replcas:} would parse without a word. The modifier below removes any-setters and
 * {@code ignoreUnknown} from every bean deserializer, so an unknown field is an error that names the field and the
 * line ({@code ManifestsTest.misspelledFieldsFail} proves it for each model family).
 */
final class StrictYaml {
  private StrictYaml() {}

  static final ObjectMapper MAPPER = create();

  private static ObjectMapper create() {
    SimpleModule strict = new SimpleModule("strict-fields");
    strict.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription beanDesc,
          BeanDeserializerBuilder builder) {
        builder.setAnySetter(null);
        builder.setIgnoreUnknownProperties(false);
        return builder;
      }
    });
    return YAMLMapper.builder(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .addModule(strict)
        .build();
  }

  /** The documents of a (multi-document) YAML file as trees; empty documents are skipped. */
  static List<JsonNode> documents(Path file) {
    return documents(DeployFiles.read(file), file.toString());
  }

  static List<JsonNode> documents(String yaml, String source) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": " + e.getMessage(), e);
    }
    return docs;
  }

  /** Reads one file (a single document) into {@code type}, strictly. */
  static <T> T read(Path file, Class<T> type) {
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Converts a tree into {@code type}, strictly (unknown fields fail). */
  static <T> T convert(JsonNode node, Class<T> type) throws IOException {
    return MAPPER.readerFor(type).readValue(MAPPER.treeAsTokens(node));
  }
}
