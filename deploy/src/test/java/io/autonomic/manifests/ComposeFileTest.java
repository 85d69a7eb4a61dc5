package io.autonomic.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.manifests.ComposeModel.ComposeFile;
import io.autonomic.manifests.ComposeModel.PrometheusConfig;
import io.autonomic.manifests.ComposeModel.ScrapeConfig;
import io.autonomic.manifests.ComposeModel.Service;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/compose: services, images, ports, dependencies, configuration and scrape targets agree. */
class ComposeFileTest {
  private static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy",
      "service_completed_successfully");
  private static final Pattern PORT = Pattern.compile("^(\\d+):(\\d+)$");

  private static Path composeDir;
  private static ComposeFile compose;

  @BeforeAll
  static void load() {
    composeDir = DeployFiles.resolve("compose");
    compose = StrictYaml.read(composeDir.resolve("docker-compose.yml"), ComposeFile.class);
  }

  @Test
  void theStackHasEveryComponent() {
    assertThat(compose.services()).containsKeys("kafka", "topics", "registry", "jobmanager", "taskmanager",
        "streams", "remediator", "executor", "agent", "prometheus", "grafana");
  }

  @Test
  void unknownKeysFail() {
    assertThatThrownBy(() -> StrictYaml.MAPPER.readValue("""
        services:
          a:
            image: x:1
            depend_on: [b]
        """, ComposeFile.class)).hasMessageContaining("depend_on");
    assertThatThrownBy(() -> StrictYaml.MAPPER.readValue("""
        services:
          a:
            image: x:1
            healthcheck: {test: [CMD, "true"], intervall: 5s}
        """, ComposeFile.class)).hasMessageContaining("intervall");
  }

  @Test
  void everyBuiltImageComesFromAnExistingDockerfileTarget() {
    Map<String, String> builtImages = new HashMap<>();
    for (Map.Entry<String, Service> e : compose.services().entrySet()) {
      Service s = e.getValue();
      if (s.build() == null) {
        continue;
      }
      Path context = composeDir.resolve(s.build().context()).normalize();
      Path dockerfile = context.resolve(s.build().dockerfile()).normalize();
      assertThat(dockerfile).as(e.getKey() + " dockerfile").isRegularFile();
      assertThat(context.resolve("pom.xml")).as(e.getKey() + " context is the repository root").isRegularFile();
      assertThat(Dockerfiles.stages(dockerfile)).as(e.getKey() + " target").containsKey(s.build().target());
      assertThat(s.image()).as(e.getKey() + " image").isEqualTo("autonomic/" + s.build().target() + ":0.1.0");
      builtImages.put(s.image(), e.getKey());
    }
    assertThat(builtImages).hasSize(5);
    for (Map.Entry<String, Service> e : compose.services().entrySet()) {
      String image = e.getValue().image();
      assertThat(image).as(e.getKey() + " has an image").isNotBlank();
      if (image.startsWith("autonomic/")) {
        assertThat(builtImages).as(e.getKey() + ": some service builds " + image).containsKey(image);
      } else {
        assertThat(image).as(e.getKey() + " pins a version").matches("[^:]+:v?[0-9][^:]*").doesNotEndWith(":latest");
      }
    }
  }

  @Test
  void theAppTargetsRunTheLauncherSubcommands() {
    Map<String, Dockerfiles.Stage> stages = Dockerfiles.stages(DeployFiles.resolve("docker/Dockerfile"));
    assertThat(stages.get("agent").cmd()).isEqualTo("[\"agent\"]");
    assertThat(stages.get("streams").cmd()).isEqualTo("[\"streams\"]");
    assertThat(stages.get("remediator").cmd()).startsWith("[\"remediator\"");
    assertThat(stages.get("executor").cmd()).startsWith("[\"executor\"");
    for (String app : List.of("agent", "streams", "remediator", "executor")) {
      assertThat(stages.get(app).base()).as(app).isEqualTo("app");
    }
  }

  @Test
  void everyLauncherSubcommandTheImagesRunExists() {
    List<List<String>> commands = new ArrayList<>();
    Dockerfiles.stages(DeployFiles.resolve("docker/Dockerfile")).values().stream()
        .filter(st -> "app".equals(st.base()) && st.cmd() != null)
        .forEach(st -> commands.add(List.of(st.cmd().replaceAll("^\\[\"([^\"]+)\".*$", "$1"))));
    compose.services().values().stream().filter(s -> app(s).filter(a -> a != AppConfig.DETECTOR).isPresent())
        .filter(s -> s.command() != null).forEach(s -> commands.add(s.command()));
    KubernetesManifests k8s = KubernetesManifests.load();
    k8s.docs().forEach(d -> KubernetesManifests.containers(d.resource()).stream()
        .filter(c -> c.getArgs() != null && !c.getArgs().isEmpty()).forEach(c -> commands.add(c.getArgs())));
    assertThat(commands).hasSizeGreaterThanOrEqualTo(8);
    Set<String> subcommands = new HashSet<>();
    Pattern command = Pattern.compile("@Command\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    try (var files = Files.list(DeployFiles.resolve("src/main/java/io/autonomic/cli"))) {
      for (Path f : files.toList()) {
        Matcher m = command.matcher(DeployFiles.read(f));
        while (m.find()) {
          subcommands.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (List<String> c : commands) {
      assertThat(subcommands).as("launcher subcommand of " + c).contains(c.get(0));
    }
  }

  @Test
  void hostPortsDoNotCollideAndAppPortsAreTheirMetricsPorts() {
    Map<Integer, String> hostPorts = new TreeMap<>();
    for (Map.Entry<String, Service> e : compose.services().entrySet()) {
      for (String mapping : e.getValue().portList()) {
        Matcher m = PORT.matcher(mapping);
        assertThat(m.matches()).as(e.getKey() + " port " + mapping + " is HOST:CONTAINER").isTrue();
        int host = Integer.parseInt(m.group(1));
        String before = hostPorts.put(host, e.getKey());
        assertThat(before).as("host port " + host + " of " + e.getKey() + " is also " + before).isNull();
        Optional<AppConfig> app = app(e.getValue());
        if (app.isPresent() && app.get() != AppConfig.DETECTOR) {
          assertThat(Integer.parseInt(m.group(2))).as(e.getKey() + " publishes its metrics port")
              .isEqualTo(app.get().metricsPort(e.getValue().env()));
        }
      }
    }
  }

  @Test
  void dependenciesExistAreAcyclicAndWaitOnlyForHealthchecksThatExist() {
    for (Map.Entry<String, Service> e : compose.services().entrySet()) {
      e.getValue().dependencies().forEach((target, dep) -> {
        assertThat(compose.services()).as(e.getKey() + " depends on " + target).containsKey(target);
        assertThat(target).isNotEqualTo(e.getKey());
        assertThat(CONDITIONS).as(e.getKey() + " -> " + target).contains(dep.condition());
        if (dep.condition().equals("service_healthy")) {
          assertThat(compose.services().get(target).healthcheck()).as(target + " has a healthcheck").isNotNull();
        }
      });
    }
    for (String service : compose.services().keySet()) {
      assertThat(reaches(service, service, new HashSet<>())).as(service + " depends on itself").isFalse();
    }
  }

  private static boolean reaches(String from, String to, Set<String> seen) {
    for (String next : compose.services().get(from).dependencies().keySet()) {
      if (next.equals(to) || (seen.add(next) && reaches(next, to, seen))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void appsUseOnlyTheirConfigKeysWithValidValues() {
    List<String> problems = new ArrayList<>();
    int apps = 0;
    for (Map.Entry<String, Service> e : compose.services().entrySet()) {
      Optional<AppConfig> app = app(e.getValue());
      if (app.isEmpty()) {
        assertThat(e.getValue().env().keySet()).as(e.getKey() + " is no Autonomic app")
            .noneMatch(k -> k.startsWith("AUTONOMIC_"));
        continue;
      }
      problems.addAll(app.get().problems(e.getValue().env()).stream().map(p -> e.getKey() + ": " + p).toList());
      apps++;
    }
    assertThat(problems).isEmpty();
    assertThat(apps).as("agent, streams, remediator, executor, jobmanager, taskmanager").isEqualTo(6);
  }

  @Test
  void appsReachKafkaAndTheRegistryAtTheirServices() {
    Service kafka = compose.services().get("kafka");
    String advertised = kafka.env().get("KAFKA_ADVERTISED_LISTENERS");
    Service registry = compose.services().get("registry");
    int registryPort = Integer.parseInt(registry.portList().get(0).split(":")[1]);
    for (Map.Entry<String, Service> e : compose.services().entrySet()) {
      Map<String, String> env = e.getValue().env();
      if (env.containsKey("AUTONOMIC_KAFKA_BOOTSTRAP_SERVERS")) {
        String bootstrap = env.get("AUTONOMIC_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(advertised).as(e.getKey() + " bootstrap " + bootstrap).contains("://" + bootstrap);
        assertThat(e.getValue().dependencies()).as(e.getKey()).containsKey("kafka");
      }
      if (env.containsKey("AUTONOMIC_REGISTRY_URL")) {
        URI url = URI.create(env.get("AUTONOMIC_REGISTRY_URL"));
        assertThat(url.getHost()).isEqualTo("registry");
        assertThat(url.getPort()).isEqualTo(registryPort);
        assertThat(url.getPath()).isEqualTo("/apis/ccompat/v7");
      }
    }
    for (String app : List.of("jobmanager", "streams", "remediator", "agent")) {
      assertThat(compose.services().get(app).dependencies()).as(app)
          .containsKeys("kafka", "registry", "topics");
    }
  }

  @Test
  void flinkUsesKnownConfigKeysAndReportsToPrometheus() throws IOException {
    for (String name : List.of("jobmanager", "taskmanager")) {
      Properties props = new Properties();
      String flinkProperties = compose.services().get(name).env().get("FLINK_PROPERTIES");
      for (String line : flinkProperties.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          props.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
      Map<String, String> conf = new LinkedHashMap<>();
      props.forEach((k, v) -> conf.put(k.toString(), v.toString()));
      assertThat(ManifestsTest.unknownFlinkKeys(conf)).as(name).isEmpty();
      assertThat(conf).as(name).containsEntry("metrics.reporter.prom.port",
          Integer.toString(AppConfig.FLINK_PROMETHEUS_PORT)).containsEntry("jobmanager.rpc.address", "jobmanager");
    }
    assertThat(compose.services().get("jobmanager").command())
        .containsSubsequence("standalone-job", "--job-classname", "io.autonomic.flinkjobs.detector.DetectorMain");
  }

  @Test
  void prometheusScrapesEveryAppOnItsMetricsPort() {
    PrometheusConfig prometheus = StrictYaml.read(composeDir.resolve("prometheus.yml"), PrometheusConfig.class);
    Set<String> scraped = new HashSet<>();
    for (ScrapeConfig job : prometheus.scrapeConfigs()) {
      for (String target : job.staticConfigs().stream().flatMap(s -> s.targets().stream()).toList()) {
        String host = target.substring(0, target.indexOf(':'));
        int port = Integer.parseInt(target.substring(target.indexOf(':') + 1));
        Service s = compose.services().get(host);
        assertThat(s).as(job.jobName() + " target " + target + " is a service").isNotNull();
        AppConfig app = app(s).orElseThrow(() -> new AssertionError(target + " is no Autonomic app"));
        assertThat(port).as(target).isEqualTo(app.metricsPort(s.env()));
        assertThat(job.metricsPath()).as(target).isEqualTo(app.metricsPath);
        scraped.add(host);
      }
    }
    assertThat(scraped).containsExactlyInAnyOrder("agent", "streams", "remediator", "jobmanager", "taskmanager");
  }

  @Test
  void createTopicsScriptCreatesTheTopicContract() {
    Pattern create = Pattern.compile("^create (\\S+) --partitions (\\d+)(.*)$");
    Map<String, String> created = new TreeMap<>();
    for (String line : DeployFiles.read(composeDir.resolve("create-topics.sh")).split("\n")) {
      Matcher m = create.matcher(line.strip());
      if (m.matches()) {
        assertThat(created.put(m.group(1), m.group(2) + m.group(3).strip())).as(m.group(1) + " twice").isNull();
      }
    }
    Map<String, String> expected = new TreeMap<>();
    for (Topic t : Topics.ALL) {
      expected.put(t.name(), t.defaultPartitions() + (t.compacted() ? "--config cleanup.policy=compact" : ""));
    }
    assertThat(created).isEqualTo(expected);
  }

  @Test
  void mountedFilesAndNamedVolumesExist() {
    for (Map.Entry<String, Service> e : compose.services().entrySet()) {
      if (e.getValue().volumes() == null) {
        continue;
      }
      for (String volume : e.getValue().volumes()) {
        String source = volume.split(":")[0];
        if (source.startsWith(".")) {
          assertThat(Files.exists(composeDir.resolve(source).normalize())).as(e.getKey() + " mounts " + source).isTrue();
        } else if (!source.startsWith("/")) {
          assertThat(compose.volumes()).as(e.getKey() + " uses volume " + source).containsKey(source);
        }
      }
    }
  }

  /** The Autonomic app a service runs: by its Dockerfile target, or by the image another service builds. */
  private static Optional<AppConfig> app(Service s) {
    if (s.build() != null) {
      return AppConfig.ofTarget(s.build().target());
    }
    return AppConfig.ofImage(s.image());
  }
}
