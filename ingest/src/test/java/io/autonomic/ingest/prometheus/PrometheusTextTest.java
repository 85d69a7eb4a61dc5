package io.autonomic.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.ingest.normalize.MalformedTelemetryException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  static String resource(String name) throws Exception {
    try (InputStream in = PrometheusTextTest.class.getResourceAsStream("/prometheus/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, PrometheusText.Family> byName(List<PrometheusText.Family> families) {
    return families.stream().collect(Collectors.toMap(PrometheusText.Family::name, Function.identity()));
  }

  @Test
  void parsesNodeExporterOutputWithHistogramsAndSummaries() throws Exception {
    Map<String, PrometheusText.Family> f = byName(PrometheusText.parse(resource("node-exporter-1.txt"), false));
    PrometheusText.Family gc = f.get("go_gc_duration_seconds");
    assertThat(gc.type()).isEqualTo(PrometheusText.Type.SUMMARY);
    assertThat(gc.samples()).hasSize(7);
    assertThat(gc.samples().get(0).labels()).containsEntry("quantile", "0");
    assertThat(gc.samples().get(6).name()).isEqualTo("go_gc_duration_seconds_count");
    assertThat(gc.help()).startsWith("A summary of the pause");

    PrometheusText.Family histogram = f.get("http_request_duration_seconds");
    assertThat(histogram.type()).isEqualTo(PrometheusText.Type.HISTOGRAM);
    assertThat(histogram.samples()).hasSize(6);
    assertThat(histogram.samples().get(3).labels()).containsEntry("le", "+Inf");

    assertThat(f.get("node_cpu_seconds_total").type()).isEqualTo(PrometheusText.Type.COUNTER);
    assertThat(f.get("node_cpu_seconds_total").samples()).hasSize(3);
    assertThat(f.get("node_memory_MemAvailable_bytes").samples().get(0).value()).isEqualTo(8.123456e9);
    assertThat(f.get("node_filesystem_avail_bytes").samples().get(1).labels())
        .containsEntry("mountpoint", "/run/user/1000 \"home\"");
    assertThat(f.get("node_hwmon_temp_celsius").samples().get(0).value()).isNaN();
    assertThat(f.get("process_max_fds").samples().get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);

    PrometheusText.Family untyped = f.get("untyped_metric_without_type");
    assertThat(untyped.type()).isEqualTo(PrometheusText.Type.UNKNOWN);
    assertThat(untyped.samples().get(0).timestampMillis()).isEqualTo(1764129600000L);
  }

  @Test
  void parsesOpenMetricsWithUnitsExemplarsCreatedEscapesAndEof() throws Exception {
    Map<String, PrometheusText.Family> f = byName(PrometheusText.parse(resource("openmetrics.txt"), true));
    assertThat(f).doesNotContainKey("this_line_is_after_eof");

    PrometheusText.Family router = f.get("acme_http_router_request_seconds");
    assertThat(router.unit()).isEqualTo("seconds");
    assertThat(router.samples()).extracting(PrometheusText.Sample::name).containsExactly(
        "acme_http_router_request_seconds_sum", "acme_http_router_request_seconds_count",
        "acme_http_router_request_seconds_created");

    PrometheusText.Family cpu = f.get("process_cpu_seconds");
    assertThat(cpu.type()).isEqualTo(PrometheusText.Type.COUNTER);
    assertThat(cpu.samples().get(0).name()).isEqualTo("process_cpu_seconds_total");
    assertThat(cpu.samples().get(0).timestampMillis()).isEqualTo(1764129600500L); // seconds in OpenMetrics

    PrometheusText.Family foo = f.get("foo");
    assertThat(foo.samples()).hasSize(8);
    assertThat(foo.samples().get(2).value()).isEqualTo(8.0); // the exemplar is not the value
    assertThat(foo.samples().get(2).timestampMillis()).isNull();

    assertThat(f.get("build").type()).isEqualTo(PrometheusText.Type.INFO);
    assertThat(f.get("build").samples().get(0).labels()).containsEntry("label", "a\\b \"quoted\" line\nbreak");
    assertThat(f.get("temperature").samples().get(0).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(f.get("temperature").samples().get(1).value()).isNaN();
  }

  @Test
  void acceptsQuotedUtf8MetricNamesAndWhitespace() throws Exception {
    Map<String, PrometheusText.Family> f = byName(PrometheusText.parse(
        "{\"http.server.duration\", method=\"GET\"} 1.5\n  \nmetric_with_spaces { a = \"x\" , } 2\r\n", false));
    assertThat(f.get("http.server.duration").samples().get(0).labels()).containsEntry("method", "GET");
    assertThat(f.get("metric_with_spaces").samples().get(0).labels()).containsEntry("a", "x");
  }

  @Test
  void malformedLinesFailWithTheirLineNumber() {
    assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbroken{a=\"x\" 1\n", false))
        .isInstanceOf(MalformedTelemetryException.class)
        .hasMessageStartingWith("invalid Prometheus text at line 2: ");
    assertThatThrownBy(() -> PrometheusText.parse("m{a=\"unterminated} 1\n", false))
        .hasMessageContaining("unterminated quoted string");
    assertThatThrownBy(() -> PrometheusText.parse("m one\n", false)).hasMessageContaining("invalid value 'one'");
    assertThatThrownBy(() -> PrometheusText.parse("m 1 soon\n", false)).hasMessageContaining("invalid timestamp 'soon'");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE m sometype\n", false))
        .hasMessageContaining("unknown metric type 'sometype'");
    assertThatThrownBy(() -> PrometheusText.parse("m{a=\"1\",a=\"2\"} 1\n", false)).hasMessageContaining("duplicate label a");
    assertThatThrownBy(() -> PrometheusText.parse("m\n", false)).hasMessageContaining("expected a value after m");
    assertThatThrownBy(() -> PrometheusText.parse("{a=\"b\"} 1\n", false)).hasMessageContaining("expected a metric name");
    assertThatThrownBy(() -> PrometheusText.parse("m 1 2 3\n", false)).hasMessageContaining("unexpected text");
  }

  @Test
  void garbageDoesNotCrashTheParser() {
    for (String garbage : List.of("\u0000\u0001\u0002", "{{{{", "}", "=\"\"", "m{", "m{a", "m{a=", "m{a=\"", "\"\"",
        "m{\"x\"=\"y\"} 1", "# HELP", "# TYPE m")) {
      try {
        PrometheusText.parse(garbage, false);
      } catch (MalformedTelemetryException expected) {
        assertThat(expected.getMessage()).startsWith("invalid Prometheus text at line 1: ");
      }
    }
  }

  @Test
  void valuesInEveryNotation() {
    assertThat(PrometheusText.parseValue("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PrometheusText.parseValue("-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PrometheusText.parseValue("NaN")).isNaN();
    assertThat(PrometheusText.parseValue("1e+06")).isEqualTo(1e6);
    assertThat(PrometheusText.parseValue("-0.5")).isEqualTo(-0.5);
  }
}
