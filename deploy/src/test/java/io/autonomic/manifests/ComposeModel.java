package io.autonomic.manifests;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The part of the Compose specification that deploy/compose uses, as records. Read strictly: a key that is not
 * here (a typo like {@code depend_on}, or a feature nobody checked) fails the test instead of being ignored.
 */
final class ComposeModel {
  private ComposeModel() {}

  record ComposeFile(String name, Map<String, Service> services, Map<String, Volume> volumes) {}

  record Service(
      String image,
      Build build,
      List<String> command,
      List<String> ports,
      Map<String, String> environment,
      @JsonProperty("depends_on") Map<String, DependsOn> dependsOn,
      Healthcheck healthcheck,
      List<String> volumes,
      String restart) {

    Map<String, String> env() {
      return environment == null ? Map.of() : environment;
    }

    Map<String, DependsOn> dependencies() {
      return dependsOn == null ? Map.of() : dependsOn;
    }

    List<String> portList() {
      return ports == null ? List.of() : ports;
    }
  }

  record Build(String context, String dockerfile, String target) {}

  record DependsOn(String condition) {}

  record Healthcheck(List<String> test, String interval, String timeout, Integer retries,
      @JsonProperty("start_period") String startPeriod) {}

  /** A named volume; the stack declares them without options. */
  record Volume() {}

  /** prometheus.yml, the part the stack uses. */
  record PrometheusConfig(Global global, @JsonProperty("scrape_configs") List<ScrapeConfig> scrapeConfigs) {}

  record Global(@JsonProperty("scrape_interval") String scrapeInterval,
      @JsonProperty("evaluation_interval") String evaluationInterval) {}

  record ScrapeConfig(@JsonProperty("job_name") String jobName, @JsonProperty("metrics_path") String metricsPath,
      @JsonProperty("static_configs") List<StaticConfig> staticConfigs) {}

  record StaticConfig(List<String> targets, Map<String, String> labels) {}
}
