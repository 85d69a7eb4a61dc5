package io.autonomic.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricNamesTest {
  @Test
  void prometheusNamesLoseTotalAndUnitSuffixAndBecomeDotted() {
    assertThat(MetricNames.canonical("node_network_receive_bytes_total", null))
        .isEqualTo(new MetricNames.Canonical("node.network.receive", "By"));
    assertThat(MetricNames.canonical("http_request_duration_seconds", ""))
        .isEqualTo(new MetricNames.Canonical("http.request.duration", "s"));
    assertThat(MetricNames.canonical("http_requests_total", null))
        .isEqualTo(new MetricNames.Canonical("http.requests", null));
    assertThat(MetricNames.canonical("Process_CPU_Seconds_Total", null))
        .isEqualTo(new MetricNames.Canonical("process.cpu", "s"));
  }

  @Test
  void openTelemetryNamesKeepTheirUnderscores() {
    assertThat(MetricNames.canonical("system.cpu.load_average.1m", "{thread}"))
        .isEqualTo(new MetricNames.Canonical("system.cpu.load_average.1m", "{thread}"));
    assertThat(MetricNames.canonical("System.Memory.Usage", "bytes"))
        .isEqualTo(new MetricNames.Canonical("system.memory.usage", "By"));
  }

  @Test
  void aDeclaredUnitWinsOverTheSuffix() {
    assertThat(MetricNames.canonical("queue_wait_seconds", "ms").unit()).isEqualTo("ms");
  }

  @Test
  void namesCollapseSeparators() {
    assertThat(MetricNames.name(" foo:bar--baz/ qux. ")).isEqualTo("foo.bar.baz.qux");
    assertThat(MetricNames.name(null)).isEmpty();
  }

  @Test
  void unitsBecomeUcum() {
    assertThat(MetricNames.unit("seconds")).isEqualTo("s");
    assertThat(MetricNames.unit("Milliseconds")).isEqualTo("ms");
    assertThat(MetricNames.unit("bytes")).isEqualTo("By");
    assertThat(MetricNames.unit("percent")).isEqualTo("%");
    assertThat(MetricNames.unit("{requests}")).isEqualTo("{requests}");
    assertThat(MetricNames.unit("  ")).isNull();
    assertThat(MetricNames.rateUnit("By")).isEqualTo("By/s");
    assertThat(MetricNames.rateUnit(null)).isEqualTo("1/s");
    assertThat(MetricNames.rateUnit("{request}")).isEqualTo("{request}/s");
  }

  @Test
  void quantileSuffixes() {
    assertThat(MetricNames.quantileSuffix(0.5)).isEqualTo("p50");
    assertThat(MetricNames.quantileSuffix(0.9)).isEqualTo("p90");
    assertThat(MetricNames.quantileSuffix(0.99)).isEqualTo("p99");
    assertThat(MetricNames.quantileSuffix(0.999)).isEqualTo("p999");
    assertThat(MetricNames.quantileSuffix(0.25)).isEqualTo("p25");
    assertThat(MetricNames.quantileSuffix(0)).isEqualTo("p0");
    assertThat(MetricNames.quantileSuffix(1)).isEqualTo("p100");
  }
}
