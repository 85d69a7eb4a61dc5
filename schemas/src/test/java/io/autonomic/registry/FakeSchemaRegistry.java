package io.autonomic.registry;

import io.autonomic.registry.RegistryException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * In-memory registry with Confluent's semantics: global ids shared by equal schemas, versions per subject,
 * a per-subject compatibility rule (BACKWARD by default, checked with Avro's resolution rules), and call counts
 * so tests can assert what was cached.
 */
final class FakeSchemaRegistry implements SchemaRegistryClient {
  static final String URL = "fake://registry";

  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<Integer>> versions = new HashMap<>();
  private final Map<String, CompatibilityLevel> levels = new HashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private int nextId = 1;

  int calls(String operation) {
    return calls.computeIfAbsent(operation, k -> new AtomicInteger()).get();
  }

  private void count(String operation) {
    calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    count("register");
    List<Integer> ids = versions.computeIfAbsent(subject, k -> new ArrayList<>());
    for (int id : ids) {
      if (schemasById.get(id).equals(schema)) {
        return id;
      }
    }
    if (!ids.isEmpty() && getCompatibility(subject) != CompatibilityLevel.NONE) {
      List<String> problems = SchemaResolution.problems(schema, schemasById.get(ids.get(ids.size() - 1)));
      if (!problems.isEmpty()) {
        String message = "Schema being registered is incompatible with an earlier schema for subject \""
            + subject + "\": " + problems;
        throw new RegistryException(Reason.INCOMPATIBLE, "register under '" + subject + "' at " + URL + " failed: "
            + message, null, 409, 409, message);
      }
    }
    int id = schemasById.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey)
        .findFirst().orElseGet(() -> {
          int fresh = nextId++;
          schemasById.put(fresh, schema);
          return fresh;
        });
    ids.add(id);
    return id;
  }

  @Override
  public synchronized int getId(String subject, Schema schema) {
    count("getId");
    List<Integer> ids = versions.get(subject);
    if (ids == null) {
      throw new RegistryException(Reason.SUBJECT_NOT_FOUND, "subject '" + subject + "' does not exist in registry "
          + URL, null, 404, 40401, "Subject not found.");
    }
    return ids.stream().filter(id -> schemasById.get(id).equals(schema)).findFirst()
        .orElseThrow(() -> new RegistryException(Reason.SCHEMA_NOT_FOUND, "schema " + schema.getFullName()
            + " is not registered under subject '" + subject + "' in registry " + URL, null, 404, 40403,
            "Schema not found"));
  }

  @Override
  public synchronized Schema getSchemaById(int id) {
    count("getSchemaById");
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new RegistryException(Reason.SCHEMA_NOT_FOUND, "schema id " + id + " not found in registry " + URL,
          null, 404, 40403, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema getLatestVersion(String subject) {
    count("getLatestVersion");
    List<Integer> ids = versions.get(subject);
    if (ids == null || ids.isEmpty()) {
      throw new RegistryException(Reason.SUBJECT_NOT_FOUND, "subject '" + subject + "' has no versions in registry "
          + URL, null, 404, 40401, "Subject not found.");
    }
    int id = ids.get(ids.size() - 1);
    return new RegisteredSchema(subject, ids.size(), id, schemasById.get(id));
  }

  @Override
  public synchronized CompatibilityResult testCompatibility(String subject, Schema schema) {
    count("testCompatibility");
    List<String> problems = SchemaResolution.problems(schema, getLatestVersion(subject).schema());
    return new CompatibilityResult(problems.isEmpty(), problems);
  }

  @Override
  public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    count("setCompatibility");
    levels.put(subject, level);
  }

  @Override
  public synchronized CompatibilityLevel getCompatibility(String subject) {
    return levels.getOrDefault(subject, CompatibilityLevel.BACKWARD);
  }
}
