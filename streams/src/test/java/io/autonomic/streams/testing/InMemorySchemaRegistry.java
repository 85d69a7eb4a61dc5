package io.autonomic.streams.testing;

import io.autonomic.registry.CompatibilityLevel;
import io.autonomic.registry.CompatibilityResult;
import io.autonomic.registry.RegisteredSchema;
import io.autonomic.registry.RegistryException;
import io.autonomic.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** A registry in memory for TopologyTestDriver tests: global ids per distinct schema, versions per subject. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, List<Integer>> subjects = new HashMap<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    int id = byId.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey).findFirst()
        .orElseGet(() -> {
          int fresh = byId.size() + 1;
          byId.put(fresh, schema);
          return fresh;
        });
    List<Integer> versions = subjects.computeIfAbsent(subject, k -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  @Override
  public synchronized int getId(String subject, Schema schema) {
    return subjects.getOrDefault(subject, List.of()).stream().filter(id -> byId.get(id).equals(schema)).findFirst()
        .orElseThrow(() -> new RegistryException(RegistryException.Reason.SCHEMA_NOT_FOUND,
            "schema not registered under " + subject, null, 404, 40403, "Schema not found"));
  }

  @Override
  public synchronized Schema getSchemaById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new RegistryException(RegistryException.Reason.SCHEMA_NOT_FOUND, "no schema " + id, null, 404, 40403,
          "Schema not found");
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema getLatestVersion(String subject) {
    List<Integer> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new RegistryException(RegistryException.Reason.SUBJECT_NOT_FOUND, "no subject " + subject, null, 404,
          40401, "Subject not found");
    }
    int id = versions.get(versions.size() - 1);
    return new RegisteredSchema(subject, versions.size(), id, byId.get(id));
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    return new CompatibilityResult(true, List.of());
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {}

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    return CompatibilityLevel.BACKWARD;
  }
}
