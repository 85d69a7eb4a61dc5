package io.autonomic.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.ingest.normalize.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrometheusConverterTest {
  private static final long T0 = 1_764_129_600_000L;
  private final Normalizer normalizer = new Normalizer("agent:test", "agent-host", CardinalityGuard.unlimited());
  private final PrometheusConverter converter = new PrometheusConverter(normalizer, List.of(0.5, 0.9, 0.99));
  private final Map<String, String> resource = Map.of("host.name", "node-1", "instance", "node-1:9100");

  private List<MetricPoint> scrape(String file, long at) throws Exception {
    return converter.convert(PrometheusText.parse(PrometheusTextTest.resource(file), false), resource, at);
  }

  private static MetricPoint find(List<MetricPoint> points, String metric, Map<String, String> tags) {
    return points.stream().filter(p -> p.getMetric().equals(metric)
        && p.getTags().entrySet().containsAll(tags.entrySet())).findFirst().orElseThrow(
            () -> new AssertionError(metric + " " + tags + " not in " + points.stream().map(MetricPoint::getMetric)
                .collect(Collectors.toSet())));
  }

  @Test
  void firstScrapeGivesGaugesAndSummaryQuantilesButNoRatesYet() throws Exception {
    List<MetricPoint> points = scrape("node-exporter-1.txt", T0);
    assertThat(find(points, "node.load1", Map.of()).getValue()).isEqualTo(0.42);
    assertThat(find(points, "node.load1", Map.of()).getEntityId()).isEqualTo("node-1");
    MetricPoint memory = find(points, "node.memory.memavailable", Map.of());
    assertThat(memory.getUnit()).isEqualTo("By");
    assertThat(find(points, "go.gc.duration.p50", Map.of()).getValue()).isEqualTo(4.1265e-05);
    assertThat(find(points, "go.gc.duration.p50", Map.of()).getUnit()).isEqualTo("s");
    assertThat(points).noneMatch(p -> p.getMetric().equals("node.cpu"));
    assertThat(points).noneMatch(p -> p.getMetric().endsWith(".rate"));
    // NaN and +Inf gauges are not published (counted by the normalizer)
    assertThat(points).noneMatch(p -> p.getMetric().startsWith("node.hwmon.temp"));
    assertThat(normalizer.nonFiniteDropped()).isEqualTo(2);
    assertThat(find(points, "untyped.metric.without.type", Map.of()).getEventTime().toEpochMilli()).isEqualTo(1764129600000L);
  }

  @Test
  void secondScrapeGivesCounterRatesAndHistogramQuantilesOfTheInterval() throws Exception {
    scrape("node-exporter-1.txt", T0);
    List<MetricPoint> points = scrape("node-exporter-2.txt", T0 + 10_000);
    MetricPoint idle = find(points, "node.cpu", Map.of("cpu", "0", "mode", "idle"));
    assertThat(idle.getValue()).isCloseTo(0.8, within(1e-9));
    assertThat(idle.getUnit()).isEqualTo("s/s");
    assertThat(find(points, "node.cpu", Map.of("cpu", "0", "mode", "user")).getValue()).isCloseTo(0.2, within(1e-9));

    MetricPoint rate = find(points, "http.request.duration.rate", Map.of("handler", "/metrics"));
    assertThat(rate.getValue()).isCloseTo(5.0, within(1e-9));
    // the interval saw 40 requests in (0.05, 0.1] and 10 in (0.1, 0.5]
    assertThat(find(points, "http.request.duration.p50", Map.of()).getValue()).isCloseTo(0.08125, within(1e-9));
    assertThat(find(points, "http.request.duration.p90", Map.of()).getValue()).isCloseTo(0.1 + 0.4 * 0.5, within(1e-9));
    assertThat(find(points, "http.request.duration.mean", Map.of()).getValue()).isCloseTo(4.0 / 50, within(1e-9));
    assertThat(find(points, "http.request.duration.p50", Map.of()).getTags()).doesNotContainKey("le");

    assertThat(find(points, "go.gc.duration.rate", Map.of()).getValue()).isCloseTo(10.0, within(1e-9));
  }

  @Test
  void aCounterResetIsARestartNotANegativeRate() throws Exception {
    converter.convert(PrometheusText.parse("# TYPE c counter\nc_total 1000\n", false), resource, T0);
    List<MetricPoint> points = converter.convert(PrometheusText.parse("# TYPE c counter\nc_total 20\n", false),
        resource, T0 + 10_000);
    assertThat(find(points, "c", Map.of()).getValue()).isEqualTo(2.0);
  }

  @Test
  void openMetricsCountersInfoAndCreatedSamples() throws Exception {
    List<PrometheusText.Family> families = PrometheusText.parse(PrometheusTextTest.resource("openmetrics.txt"), true);
    converter.convert(families, resource, T0);
    List<PrometheusText.Family> later = PrometheusText.parse(
        PrometheusTextTest.resource("openmetrics.txt").replace("4.20072246e+06 1764129600.500", "4.20073246e+06 1764129610.500"),
        true);
    List<MetricPoint> points = converter.convert(later, resource, T0 + 10_000);
    assertThat(find(points, "process.cpu", Map.of()).getValue()).isCloseTo(1.0, within(1e-6));
    assertThat(find(points, "build.info", Map.of("version", "1.2.3")).getValue()).isEqualTo(1.0);
    assertThat(points).noneMatch(p -> p.getMetric().contains("created"));
  }
}
