package io.autonomic.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard is valid and queries only metrics that exist, as listed in deploy/README.md. */
class GrafanaDashboardTest {
  private static final Set<String> PROMQL_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right", "bool", "and", "or", "unless", "offset");
  private static final Set<String> TIMER_SUFFIXES = Set.of("_count", "_sum", "_max", "_bucket");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** One row of the metric table in deploy/README.md. */
  record Metric(String series, String type, String declaredIn, String as) {}

  private static JsonNode dashboard;
  private static Map<String, Metric> catalog;

  @BeforeAll
  static void load() throws IOException {
    ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    dashboard = json.readTree(DeployFiles.resolve("grafana/dashboards/autonomic.json").toFile());
    catalog = catalog();
  }

  @Test
  void theDashboardIsWellFormed() {
    assertThat(dashboard.path("uid").asText()).isNotBlank();
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
    String datasource = provisionedDatasourceUid();
    Set<Integer> ids = new HashSet<>();
    int queries = 0;
    for (JsonNode panel : panels()) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("panel id of " + title + " is unique").isTrue();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("w").asInt()).as(title).isBetween(1, 24);
      assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title + " fits the 24 columns").isLessThanOrEqualTo(24);
      assertThat(grid.path("h").asInt()).as(title).isPositive();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo(datasource);
      assertThat(panel.path("targets").size()).as(title + " has queries").isPositive();
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        assertThat(refIds.add(target.path("refId").asText())).as(title + " refIds unique").isTrue();
        String expr = target.path("expr").asText();
        assertThat(expr).as(title).isNotBlank();
        assertThat(balanced(expr)).as(title + ": " + expr).isTrue();
        queries++;
      }
    }
    assertThat(queries).isGreaterThan(20);
  }

  @Test
  void everyQueriedSeriesIsInTheCatalogAndEveryCatalogEntryIsQueried() {
    Set<String> used = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    for (String expr : expressions()) {
      for (String name : metricNames(expr)) {
        Metric m = lookup(name);
        if (m == null) {
          unknown.add(name + " in " + expr);
        } else {
          used.add(m.series());
        }
      }
    }
    assertThat(unknown).as("series not in deploy/README.md's table").isEmpty();
    assertThat(used).containsExactlyInAnyOrderElementsOf(catalog.keySet());
  }

  @Test
  void metricNamesAreFoundInPromQl() {
    assertThat(metricNames("sum by (reason) (rate(ingest_points_dropped_total{collector=\"host\"}[$__rate_interval]))"))
        .containsExactly("ingest_points_dropped_total");
    assertThat(metricNames("sum by (policy) (rate(remediator_mttr_seconds_sum[1h])) / "
        + "sum by (policy) (rate(remediator_mttr_seconds_count[1h]))"))
        .containsExactly("remediator_mttr_seconds_sum", "remediator_mttr_seconds_count");
    assertThat(lookup("remediator_mttr_seconds_count")).isNotNull();
    assertThat(lookup("remediator_decisions")).isNull();
  }

  @Test
  void catalogNamesAreDeclaredInTheModulesThatTheRowsName() {
    Path root = DeployFiles.repoRoot();
    List<String> missing = new ArrayList<>();
    for (Metric m : catalog.values()) {
      if (!Set.of("ingest", "streams", "remediator", "flink-jobs").contains(m.declaredIn())) {
        assertThat(m.declaredIn()).as(m.series()).isIn("Flink", "Kafka client");
        continue;
      }
      if (!sourcesContain(root.resolve(m.declaredIn()).resolve("src/main/java"), "\"" + m.as() + "\"")) {
        missing.add(m.series() + ": \"" + m.as() + "\" not in " + m.declaredIn() + "/src/main/java");
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void catalogNamesAreWhatPrometheusMakesOfThem() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (Metric m : catalog.values()) {
      switch (m.type()) {
        case "counter" -> Counter.builder(m.as()).register(registry).increment();
        case "gauge" -> Gauge.builder(m.as(), () -> 1.0).register(registry);
        case "timer" -> Timer.builder(m.as()).register(registry).record(Duration.ofMillis(5));
        case "flink" -> {
          assertThat(m.series()).as(m.as()).startsWith("flink_").endsWith("_" + m.as());
          if (m.declaredIn().equals("flink-jobs")) {
            assertThat(m.series()).isEqualTo("flink_taskmanager_job_task_operator_" + m.as());
          }
        }
        default -> throw new AssertionError(m.series() + ": unknown type " + m.type());
      }
    }
    Set<String> scraped = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        Matcher name = IDENTIFIER.matcher(line);
        if (name.lookingAt()) {
          scraped.add(name.group());
        }
      }
    }
    for (Metric m : catalog.values()) {
      switch (m.type()) {
        case "counter", "gauge" -> assertThat(scraped).as(m.as()).contains(m.series());
        case "timer" -> assertThat(scraped).as(m.as()).contains(m.series() + "_count", m.series() + "_sum");
        default -> { }
      }
    }
  }

  @Test
  void grafanaProvisioningLoadsTheDashboardsThatComposeMounts() {
    JsonNode provider = StrictYaml.documents(DeployFiles.resolve("grafana/provisioning/dashboards/autonomic.yml"))
        .get(0).path("providers").get(0);
    String path = provider.path("options").path("path").asText();
    ComposeModel.ComposeFile compose = StrictYaml.read(DeployFiles.resolve("compose/docker-compose.yml"),
        ComposeModel.ComposeFile.class);
    assertThat(compose.services().get("grafana").volumes())
        .contains("../grafana/dashboards:" + path + ":ro", "../grafana/provisioning:/etc/grafana/provisioning:ro");
  }

  /** The metric names in a PromQL expression: identifiers that are no function, keyword or label. */
  static List<String> metricNames(String expr) {
    String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    List<String> names = new ArrayList<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String token = m.group();
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
        next++;
      }
      boolean call = next < s.length() && s.charAt(next) == '(';
      boolean number = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
      if (!call && !number && !PROMQL_KEYWORDS.contains(token)) {
        names.add(token);
      }
    }
    return names;
  }

  private static Metric lookup(String name) {
    Metric exact = catalog.get(name);
    if (exact != null) {
      return exact.type().equals("timer") ? null : exact;
    }
    for (String suffix : TIMER_SUFFIXES) {
      if (name.endsWith(suffix)) {
        Metric timer = catalog.get(name.substring(0, name.length() - suffix.length()));
        if (timer != null && timer.type().equals("timer")) {
          return timer;
        }
      }
    }
    return null;
  }

  private static Map<String, Metric> catalog() {
    String readme = DeployFiles.read(DeployFiles.resolve("README.md"));
    int begin = readme.indexOf("<!-- metrics:begin -->");
    int end = readme.indexOf("<!-- metrics:end -->");
    assertThat(begin).as("metrics table markers in deploy/README.md").isNotNegative().isLessThan(end);
    Map<String, Metric> metrics = new LinkedHashMap<>();
    for (String line : readme.substring(begin, end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Metric m = new Metric(unquote(cells[1]), cells[2].strip(), cells[3].strip(), unquote(cells[4]));
      assertThat(metrics.put(m.series(), m)).as(m.series() + " listed twice").isNull();
    }
    assertThat(metrics).isNotEmpty();
    return metrics;
  }

  private static String unquote(String cell) {
    return cell.strip().replace("`", "");
  }

  private static List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      panels.add(p);
      p.path("panels").forEach(panels::add);
    }
    return panels;
  }

  private static List<String> expressions() {
    List<String> exprs = new ArrayList<>();
    for (JsonNode p : panels()) {
      p.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
    }
    return exprs;
  }

  private static String provisionedDatasourceUid() {
    return StrictYaml.documents(DeployFiles.resolve("grafana/provisioning/datasources/prometheus.yml")).get(0)
        .path("datasources").get(0).path("uid").asText();
  }

  private static boolean balanced(String expr) {
    int round = 0;
    int curly = 0;
    int square = 0;
    for (char c : expr.toCharArray()) {
      switch (c) {
        case '(' -> round++;
        case ')' -> round--;
        case '{' -> curly++;
        case '}' -> curly--;
        case '[' -> square++;
        case ']' -> square--;
        default -> { }
      }
      if (round < 0 || curly < 0 || square < 0) {
        return false;
      }
    }
    return round == 0 && curly == 0 && square == 0;
  }

  private static boolean sourcesContain(Path dir, String literal) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).anyMatch(p -> {
        try {
          return Files.readString(p).contains(literal);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
