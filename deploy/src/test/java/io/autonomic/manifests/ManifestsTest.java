package io.autonomic.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every file under deploy/k8s parses into typed objects, and what they say agrees with the code. */
class ManifestsTest {
  private static KubernetesManifests k8s;

  @BeforeAll
  static void load() {
    k8s = KubernetesManifests.load();
  }

  @Test
  void everyDocumentParsesIntoItsTypedClassAndTheExpectedKindsArePresent() {
    assertThat(DeployFiles.yamlFiles(DeployFiles.resolve("k8s"))).isNotEmpty();
    Map<String, Long> kinds = k8s.docs().stream()
        .collect(Collectors.groupingBy(d -> d.resource().getKind(), Collectors.counting()));
    assertThat(kinds).containsKeys("Namespace", "ConfigMap", "Kafka", "KafkaNodePool", "KafkaTopic",
        "FlinkDeployment", "Deployment", "DaemonSet", "Service", "ServiceAccount", "Role", "RoleBinding");
    assertThat(k8s.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
        .contains("streams", "remediator", "executor", "registry");
    assertThat(k8s.all(DaemonSet.class)).extracting(d -> d.getMetadata().getName()).containsExactly("agent");
  }

  @Test
  void everyResourceIsNamedAndNamespacedOnceAndLabelledAsPartOfAutonomic() {
    Set<String> seen = new TreeSet<>();
    for (KubernetesManifests.Doc doc : k8s.docs()) {
      HasMetadata r = doc.resource();
      assertThat(r.getMetadata().getName()).as(doc.where()).isNotBlank();
      if (!(r instanceof Namespace)) {
        assertThat(r.getMetadata().getNamespace()).as(doc.where() + " namespace").isNotBlank();
      }
      assertThat(seen.add(r.getKind() + "/" + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()))
          .as(doc.where() + " is declared twice").isTrue();
      if (!(r instanceof KafkaTopic || r instanceof KafkaNodePool || r instanceof Kafka)) {
        assertThat(r.getMetadata().getLabels()).as(doc.where() + " labels")
            .containsEntry("app.kubernetes.io/part-of", "autonomic");
      }
    }
    Set<String> namespaces = k8s.all(Namespace.class).stream().map(n -> n.getMetadata().getName())
        .collect(Collectors.toSet());
    for (KubernetesManifests.Doc doc : k8s.docs()) {
      String ns = doc.resource().getMetadata().getNamespace();
      if (!(doc.resource() instanceof Role || doc.resource() instanceof RoleBinding) && ns != null) {
        assertThat(namespaces).as(doc.where() + " lives in a namespace these manifests create").contains(ns);
      }
    }
  }

  @Test
  void misspelledFieldsFail() {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x, namespace: autonomic}
        spec:
          replcas: 2
          selector: {matchLabels: {app: x}}
          template:
            metadata: {labels: {app: x}}
            spec: {containers: [{name: x, image: x}]}
        """;
    assertThatThrownBy(() -> parse(deployment)).hasMessageContaining("replcas");

    String container = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: x, namespace: autonomic}
        spec:
          selector: {matchLabels: {app: x}}
          template:
            metadata: {labels: {app: x}}
            spec: {containers: [{name: x, image: x, imagePullPolicyy: Always}]}
        """;
    assertThatThrownBy(() -> parse(container)).hasMessageContaining("imagePullPolicyy");

    String kafka = """
        apiVersion: kafka.strimzi.io/v1
        kind: Kafka
        metadata: {name: x, namespace: autonomic}
        spec:
          kafka:
            listners: [{name: plain, port: 9092, type: internal, tls: false}]
        """;
    assertThatThrownBy(() -> parse(kafka)).hasMessageContaining("listners");

    String topic = """
        apiVersion: kafka.strimzi.io/v1
        kind: KafkaTopic
        metadata: {name: x, namespace: autonomic}
        spec: {topicName: x, partition: 3}
        """;
    assertThatThrownBy(() -> parse(topic)).hasMessageContaining("partition");

    String flink = """
        apiVersion: flink.apache.org/v1beta1
        kind: FlinkDeployment
        metadata: {name: x, namespace: autonomic}
        spec:
          flinkVersion: v2_2
          flinkConfig: {a: b}
        """;
    assertThatThrownBy(() -> parse(flink)).hasMessageContaining("flinkConfig");

    String role = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: x, namespace: shop}
        rules: [{apiGroups: [apps], resource: [deployments], verbs: [get]}]
        """;
    assertThatThrownBy(() -> parse(role)).hasMessageContaining("resource");
  }

  @Test
  void wrongKindsAndApiVersionsFail() {
    assertThatThrownBy(() -> parse("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: x}\n"))
        .hasMessageContaining("apiVersion apps/v1beta1");
    assertThatThrownBy(() -> parse("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"))
        .hasMessageContaining("kind Pod has no typed model");
    assertThatThrownBy(() -> parse("""
        apiVersion: flink.apache.org/v1beta1
        kind: FlinkDeployment
        metadata: {name: x}
        spec: {flinkVersion: v1_20}
        """)).hasMessageContaining("flinkVersion");
  }

  @Test
  void kafkaTopicsAreTheTopicContract() {
    Map<String, KafkaTopic> byName = new LinkedHashMap<>();
    for (KafkaTopic t : k8s.all(KafkaTopic.class)) {
      String name = t.getSpec().getTopicName() == null ? t.getMetadata().getName() : t.getSpec().getTopicName();
      assertThat(byName.put(name, t)).as("topic " + name + " declared twice").isNull();
      assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster",
          k8s.all(Kafka.class).get(0).getMetadata().getName());
    }
    assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
    for (Topic topic : Topics.ALL) {
      KafkaTopic t = byName.get(topic.name());
      assertThat(t.getSpec().getPartitions()).as(topic.name() + " partitions").isEqualTo(topic.defaultPartitions());
      Map<String, Object> config = t.getSpec().getConfig() == null ? Map.of() : t.getSpec().getConfig();
      assertThat(config.get("cleanup.policy")).as(topic.name() + " cleanup.policy")
          .isEqualTo(topic.compacted() ? "compact" : null);
    }
  }

  @Test
  void kafkaRunsInKraftModeWithEnoughReplicasForTransactions() {
    Kafka kafka = k8s.all(Kafka.class).get(0);
    List<KafkaNodePool> pools = k8s.all(KafkaNodePool.class);
    assertThat(pools).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
        .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName()));
    assertThat(pools).flatExtracting(p -> p.getSpec().getRoles()).extracting(Enum::name)
        .contains("CONTROLLER", "BROKER");
    int brokers = pools.stream().filter(p -> p.getSpec().getRoles().stream().anyMatch(r -> r.name().equals("BROKER")))
        .mapToInt(p -> p.getSpec().getReplicas()).sum();
    Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
    int minIsr = Integer.parseInt(config.get("transaction.state.log.min.isr").toString());
    assertThat(Integer.parseInt(config.get("transaction.state.log.replication.factor").toString()))
        .isLessThanOrEqualTo(brokers).isGreaterThan(minIsr);
    // Flink's exactly-once sink needs transaction.timeout.ms <= the broker's max (DESIGN.md)
    assertThat(Long.parseLong(config.get("transaction.max.timeout.ms").toString())).isGreaterThanOrEqualTo(600_000);
    assertThat(k8s.all(KafkaTopic.class)).allSatisfy(t -> assertThat(t.getSpec().getReplicas()).isLessThanOrEqualTo(brokers));
    assertThat(kafka.getSpec().getKafka().getListeners()).extracting(l -> l.getPort()).contains(9092);
  }

  @Test
  void sharedClientSettingsPointAtTheKafkaBootstrapServiceAndTheRegistry() {
    ConfigMap env = k8s.one(ConfigMap.class, "autonomic-env");
    assertThat(AppConfig.AGENT.problems(env.getData())).isEmpty();
    Kafka kafka = k8s.all(Kafka.class).get(0);
    String ns = kafka.getMetadata().getNamespace();
    assertThat(env.getData().get("AUTONOMIC_KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo(kafka.getMetadata().getName() + "-kafka-bootstrap." + ns + ".svc:9092");
    Service registry = k8s.one(Service.class, "registry");
    int port = registry.getSpec().getPorts().get(0).getPort();
    assertThat(env.getData().get("AUTONOMIC_REGISTRY_URL"))
        .isEqualTo("http://registry." + registry.getMetadata().getNamespace() + ".svc:" + port + "/apis/ccompat/v7");
  }

  @Test
  void everyAutonomicContainerUsesAnImageTargetAndOnlyItsAppsConfigKeys() {
    Set<String> targets = Dockerfiles.stages(DeployFiles.resolve("docker/Dockerfile")).keySet();
    Map<String, String> shared = k8s.one(ConfigMap.class, "autonomic-env").getData();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (KubernetesManifests.Doc doc : k8s.docs()) {
      for (Container c : KubernetesManifests.containers(doc.resource())) {
        String image = c.getImage() != null ? c.getImage() : imageOf(doc.resource());
        if (image == null || !image.startsWith("autonomic/")) {
          continue;
        }
        AppConfig app = AppConfig.ofImage(image).orElseThrow(() -> new AssertionError(doc.where()
            + ": image " + image + " is no app target of deploy/docker/Dockerfile"));
        assertThat(targets).as(doc.where() + " image " + image).contains(app.target);
        Map<String, String> env = new HashMap<>(shared);
        env.putAll(env(c));
        problems.addAll(app.problems(env).stream().map(p -> doc.where() + ": " + p).toList());
        checked++;
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).isEqualTo(5);
  }

  @Test
  void scrapeAnnotationsNameTheAppsMetricsPortAndPath() {
    int annotated = 0;
    Map<String, String> shared = k8s.one(ConfigMap.class, "autonomic-env").getData();
    for (KubernetesManifests.Doc doc : k8s.docs()) {
      PodTemplateSpec template = KubernetesManifests.podTemplate(doc.resource()).orElse(null);
      if (template == null || template.getMetadata() == null || template.getMetadata().getAnnotations() == null
          || !"true".equals(template.getMetadata().getAnnotations().get("prometheus.io/scrape"))) {
        continue;
      }
      Map<String, String> ann = template.getMetadata().getAnnotations();
      Container c = template.getSpec().getContainers().get(0);
      String image = c.getImage() != null ? c.getImage() : imageOf(doc.resource());
      AppConfig app = AppConfig.ofImage(image).orElseThrow();
      Map<String, String> env = new HashMap<>(shared);
      env.putAll(env(c));
      int port = app.metricsPort(env);
      assertThat(ann.get("prometheus.io/port")).as(doc.where()).isEqualTo(Integer.toString(port));
      assertThat(ann.get("prometheus.io/path")).as(doc.where()).isEqualTo(app.metricsPath);
      assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).as(doc.where()).contains(port);
      annotated++;
    }
    assertThat(annotated).as("agent, streams, remediator, detector").isEqualTo(4);
  }

  @Test
  void theDetectorRunsTheFlinkJobsJarWithCheckpointsAndThePrometheusReporter() throws Exception {
    FlinkDeployment detector = k8s.one(FlinkDeployment.class, "detector");
    JsonNode raw = rawDocument("FlinkDeployment", "detector");
    assertThat(raw.path("spec").path("flinkVersion").asText()).isEqualTo("v2_2");
    assertThat(detector.getSpec().getImage()).isEqualTo("autonomic/detector:0.1.0");
    assertThat(Dockerfiles.stages(DeployFiles.resolve("docker/Dockerfile")).get("detector").base())
        .startsWith("flink:2.2");

    JobSpec job = detector.getSpec().getJob();
    assertThat(job.getJarURI()).isEqualTo("local:///opt/flink/usrlib/autonomic-flink-jobs.jar");
    assertThat(DeployFiles.read(DeployFiles.resolve("docker/Dockerfile")))
        .contains("/opt/flink/usrlib/autonomic-flink-jobs.jar");
    Class<?> entry = Class.forName(job.getEntryClass(), false, getClass().getClassLoader());
    assertThat(Modifier.isStatic(entry.getMethod("main", String[].class).getModifiers())).isTrue();
    assertThat(job.getUpgradeMode()).isEqualTo(UpgradeMode.LAST_STATE);

    Map<String, String> conf = detector.getSpec().getFlinkConfiguration();
    assertThat(conf).containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
        .containsKeys("execution.checkpointing.interval", "execution.checkpointing.dir", "high-availability.storageDir")
        .containsEntry("metrics.reporter.prom.port", Integer.toString(AppConfig.FLINK_PROMETHEUS_PORT));
    Class<?> reporter = Class.forName(conf.get("metrics.reporter.prom.factory.class"));
    assertThat(MetricReporterFactory.class.isAssignableFrom(reporter)).isTrue();
    assertThat(unknownFlinkKeys(conf)).isEmpty();

    // DetectorMain sets parallelism and the checkpoint interval and directory from its own options, which win
    // over the cluster's: the two must say the same.
    Map<String, String> env = env(KubernetesManifests.containers(detector).get(0));
    assertThat(env).containsEntry("AUTONOMIC_DETECTOR_PARALLELISM", Integer.toString(job.getParallelism()))
        .containsEntry("AUTONOMIC_DETECTOR_CHECKPOINT_DIR", conf.get("execution.checkpointing.dir"))
        .containsEntry("AUTONOMIC_DETECTOR_CHECKPOINT_INTERVAL", conf.get("execution.checkpointing.interval"))
        .containsEntry("OMP_NUM_THREADS", "1");
  }

  @Test
  void theImageCopiesTheShadedJobJarWhoseMainClassIsTheEntryClass() {
    FlinkDeployment detector = k8s.one(FlinkDeployment.class, "detector");
    String flinkJobsPom = DeployFiles.read(DeployFiles.repoRoot().resolve("flink-jobs/pom.xml"));
    assertThat(flinkJobsPom).contains("<shadedClassifierName>job</shadedClassifierName>")
        .contains("<mainClass>" + detector.getSpec().getJob().getEntryClass() + "</mainClass>");
    assertThat(DeployFiles.read(DeployFiles.resolve("docker/Dockerfile")))
        .contains("flink-jobs/target/autonomic-flink-jobs-*-job.jar");
  }

  @Test
  void aMisspelledFlinkConfigurationKeyIsCaught() {
    assertThat(unknownFlinkKeys(Map.of("execution.checkpointing.intervall", "10s",
        "metrics.reporter.prom.prot", "9249", "execution.checkpointing.interval", "10s")))
        .containsExactlyInAnyOrder("execution.checkpointing.intervall", "metrics.reporter.prom.prot");
  }

  /** Keys that are no Flink option (including deprecated and fallback keys) and no reporter option. */
  static Set<String> unknownFlinkKeys(Map<String, String> conf) {
    Set<String> known = new TreeSet<>();
    for (Class<?> options : List.of(org.apache.flink.configuration.CheckpointingOptions.class,
        org.apache.flink.configuration.StateBackendOptions.class,
        org.apache.flink.configuration.StateRecoveryOptions.class,
        org.apache.flink.configuration.HighAvailabilityOptions.class,
        org.apache.flink.configuration.RestartStrategyOptions.class,
        org.apache.flink.configuration.TaskManagerOptions.class,
        org.apache.flink.configuration.JobManagerOptions.class,
        org.apache.flink.configuration.CoreOptions.class,
        org.apache.flink.configuration.MetricOptions.class)) {
      for (Field f : options.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
          try {
            ConfigOption<?> o = (ConfigOption<?>) f.get(null);
            known.add(o.key());
            for (FallbackKey k : o.fallbackKeys()) {
              known.add(k.getKey());
            }
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    Set<String> reporterSuffixes = Set.of("factory.class", "port", "interval", "scope.delimiter",
        "scope.variables.excludes", "filter.includes", "filter.excludes", "filterLabelValueCharacters");
    Set<String> unknown = new TreeSet<>();
    for (String key : conf.keySet()) {
      if (key.startsWith("metrics.reporter.")) {
        String rest = key.substring("metrics.reporter.".length());
        String suffix = rest.substring(rest.indexOf('.') + 1);
        if (!reporterSuffixes.contains(suffix)) {
          unknown.add(key);
        }
      } else if (!known.contains(key)) {
        unknown.add(key);
      }
    }
    return unknown;
  }

  static Map<String, String> env(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    if (c.getEnv() != null) {
      for (EnvVar v : c.getEnv()) {
        env.put(v.getName(), v.getValue());
      }
    }
    return env;
  }

  private static String imageOf(HasMetadata r) {
    return r instanceof FlinkDeployment f ? f.getSpec().getImage() : null;
  }

  private static JsonNode rawDocument(String kind, String name) {
    for (var file : DeployFiles.yamlFiles(DeployFiles.resolve("k8s"))) {
      for (JsonNode doc : StrictYaml.documents(file)) {
        if (kind.equals(doc.path("kind").asText()) && name.equals(doc.path("metadata").path("name").asText())) {
          return doc;
        }
      }
    }
    throw new AssertionError("no " + kind + " " + name);
  }

  private static HasMetadata parse(String yaml) {
    return KubernetesManifests.parse(StrictYaml.documents(yaml, "test").get(0), "test document");
  }
}
