package io.autonomic.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * Every document under deploy/k8s read into its typed fabric8 / Strimzi / Flink operator class (strictly: see
 * {@link StrictYaml}). A kind without a class here is an error, so nothing goes unchecked.
 */
final class KubernetesManifests {
  /** The Flink 2.x versions the manifests may name (operator-api 1.10's enum predates them, see below). */
  static final Set<String> FLINK_2_VERSIONS = Set.of("v2_0", "v2_1", "v2_2");

  private static final Map<String, Class<? extends HasMetadata>> KINDS = new LinkedHashMap<>();

  static {
    for (Class<? extends HasMetadata> c : List.of(Namespace.class, ConfigMap.class, Secret.class, Service.class,
        ServiceAccount.class, PersistentVolumeClaim.class, Deployment.class, StatefulSet.class, DaemonSet.class,
        Role.class, RoleBinding.class, ClusterRole.class, ClusterRoleBinding.class, Kafka.class,
        KafkaNodePool.class, KafkaTopic.class, FlinkDeployment.class)) {
      KINDS.put(HasMetadata.getKind(c), c);
    }
  }

  /** One parsed document and where it came from. */
  record Doc(Path file, int index, HasMetadata resource) {
    String where() {
      return DeployFiles.deployDir().relativize(file) + " document " + (index + 1);
    }
  }

  private final List<Doc> docs;

  private KubernetesManifests(List<Doc> docs) {
    this.docs = docs;
  }

  private static KubernetesManifests loaded;

  /** Every YAML file under deploy/k8s, read once per test JVM (the typed models are immutable in use). */
  static synchronized KubernetesManifests load() {
    if (loaded == null) {
      loaded = read();
    }
    return loaded;
  }

  private static KubernetesManifests read() {
    List<Doc> docs = new ArrayList<>();
    for (Path file : DeployFiles.yamlFiles(DeployFiles.resolve("k8s"))) {
      List<JsonNode> trees = StrictYaml.documents(file);
      for (int i = 0; i < trees.size(); i++) {
        String where = DeployFiles.deployDir().relativize(file) + " document " + (i + 1);
        docs.add(new Doc(file, i, parse(trees.get(i), where)));
      }
    }
    return new KubernetesManifests(docs);
  }

  /** One document into its typed class; throws with {@code where} and the reason. */
  static HasMetadata parse(JsonNode tree, String where) {
    String kind = tree.path("kind").asText(null);
    String apiVersion = tree.path("apiVersion").asText(null);
    Class<? extends HasMetadata> type = kind == null ? null : KINDS.get(kind);
    if (type == null) {
      throw new IllegalArgumentException(where + ": kind " + kind + " has no typed model here; known: " + KINDS.keySet());
    }
    if (!apiVersions(type).contains(apiVersion)) {
      throw new IllegalArgumentException(where + ": " + kind + " has apiVersion " + apiVersion + ", expected one of "
          + apiVersions(type));
    }
    JsonNode typed = tree;
    if (type == FlinkDeployment.class) {
      typed = withoutFlink2Version(tree, where);
    }
    try {
      return StrictYaml.convert(typed, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": not a valid " + kind + ": " + e.getMessage(), e);
    }
  }

  /**
   * flink-kubernetes-operator-api 1.10.0, the newest on Maven Central here, has no FlinkVersion constants for
   * Flink 2.x (v2_0.. came with operator 1.11+). spec.flinkVersion is checked against {@link #FLINK_2_VERSIONS}
   * here and left out of the typed read; every other field is read strictly.
   */
  private static JsonNode withoutFlink2Version(JsonNode tree, String where) {
    JsonNode version = tree.path("spec").path("flinkVersion");
    if (!version.isTextual() || !FLINK_2_VERSIONS.contains(version.asText())) {
      throw new IllegalArgumentException(where + ": spec.flinkVersion must be one of " + FLINK_2_VERSIONS
          + " (the image is Flink 2.2), got " + version);
    }
    ObjectNode copy = tree.deepCopy();
    ((ObjectNode) copy.get("spec")).remove("flinkVersion");
    return copy;
  }

  /** The apiVersions a class accepts: group/v for each served version (Strimzi's VERSIONS), or the annotated one. */
  static Set<String> apiVersions(Class<? extends HasMetadata> type) {
    Set<String> versions = new TreeSet<>();
    versions.add(HasMetadata.getApiVersion(type));
    try {
      Field served = type.getField("VERSIONS");
      String group = HasMetadata.getGroup(type);
      for (Object v : (List<?>) served.get(null)) {
        versions.add(group + "/" + v);
      }
    } catch (NoSuchFieldException e) {
      // not a Strimzi resource: the one annotated version
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return versions;
  }

  List<Doc> docs() {
    return docs;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return docs.stream().map(Doc::resource).filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> found = all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + HasMetadata.getKind(type) + " named " + name + ", found "
          + found.size());
    }
    return found.get(0);
  }

  /** A workload's pod template (Deployment, StatefulSet, DaemonSet), or the FlinkDeployment's. */
  static Optional<PodTemplateSpec> podTemplate(HasMetadata r) {
    if (r instanceof Deployment d) {
      return Optional.of(d.getSpec().getTemplate());
    }
    if (r instanceof StatefulSet s) {
      return Optional.of(s.getSpec().getTemplate());
    }
    if (r instanceof DaemonSet d) {
      return Optional.of(d.getSpec().getTemplate());
    }
    if (r instanceof FlinkDeployment f) {
      return Optional.ofNullable(f.getSpec().getPodTemplate());
    }
    return Optional.empty();
  }

  /** The containers of a workload, or of the FlinkDeployment's pod template. */
  static List<Container> containers(HasMetadata r) {
    return podTemplate(r).map(t -> t.getSpec().getContainers()).orElse(List.of());
  }
}
