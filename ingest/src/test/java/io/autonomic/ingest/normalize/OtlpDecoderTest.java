package io.autonomic.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.autonomic.avro.MetricPoint;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OtlpDecoderTest {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
  private static final long T0_NANOS = T0.toEpochMilli() * 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private final Clock clock = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);
  private final Normalizer normalizer = new Normalizer("otlp-test", null, CardinalityGuard.unlimited());
  private final OtlpDecoder decoder = new OtlpDecoder(normalizer, clock);

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static ExportMetricsServiceRequest request(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("host.name", "node-1")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(Arrays.asList(metrics)))).build();
  }

  private static Metric counter(String name, String unit, long startNanos, long timeNanos, double value) {
    return Metric.newBuilder().setName(name).setUnit(unit).setSum(Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(startNanos).setTimeUnixNano(timeNanos)
            .setAsDouble(value).addAttributes(kv("direction", "receive")))).build();
  }

  private static Map<String, MetricPoint> byMetric(List<MetricPoint> points) {
    return points.stream().collect(Collectors.toMap(MetricPoint::getMetric, Function.identity()));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = OtlpDecoderTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void gaugesPassAsValuesWithEntityAndTags() throws Exception {
    Metric gauge = Metric.newBuilder().setName("system.cpu.utilization").setUnit("1").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T0_NANOS).setAsDouble(0.42)
            .addAttributes(kv("cpu", "0")))).build();
    List<MetricPoint> points = decoder.decodeMetrics(request(gauge).toByteArray(), OtlpDecoder.Format.PROTOBUF);
    assertThat(points).singleElement().satisfies(p -> {
      assertThat(p.getEntityId()).isEqualTo("node-1");
      assertThat(p.getEntityKind()).isEqualTo("host");
      assertThat(p.getMetric()).isEqualTo("system.cpu.utilization");
      assertThat(p.getUnit()).isEqualTo("1");
      assertThat(p.getValue()).isEqualTo(0.42);
      assertThat(p.getEventTime()).isEqualTo(T0);
      assertThat(p.getTags()).containsEntry("cpu", "0").containsEntry("host.name", "node-1");
    });
  }

  @Test
  void cumulativeMonotonicSumsBecomeRatesFromTheSecondSample() throws Exception {
    assertThat(decoder.metrics(request(counter("system.network.io", "By", T0_NANOS, T0_NANOS + 10 * SECOND, 1000))))
        .isEmpty();
    List<MetricPoint> second = decoder.metrics(
        request(counter("system.network.io", "By", T0_NANOS, T0_NANOS + 20 * SECOND, 6000)));
    assertThat(second).singleElement().satisfies(p -> {
      assertThat(p.getMetric()).isEqualTo("system.network.io");
      assertThat(p.getUnit()).isEqualTo("By/s");
      assertThat(p.getValue()).isEqualTo(500.0);
    });
  }

  @Test
  void aRestartedCounterCountsFromItsNewStart() throws Exception {
    decoder.metrics(request(counter("c", "1", T0_NANOS, T0_NANOS + 10 * SECOND, 1000)));
    List<MetricPoint> afterRestart = decoder.metrics(
        request(counter("c", "1", T0_NANOS + 15 * SECOND, T0_NANOS + 20 * SECOND, 50)));
    assertThat(afterRestart).singleElement().extracting(MetricPoint::getValue).isEqualTo(10.0);
  }

  @Test
  void deltaSumsAreRatesOverTheirOwnIntervalAndUpDownCountersAreValues() throws Exception {
    Metric delta = Metric.newBuilder().setName("requests").setSum(Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(T0_NANOS)
            .setTimeUnixNano(T0_NANOS + 10 * SECOND).setAsInt(50))).build();
    Metric upDown = Metric.newBuilder().setName("queue.size").setSum(Sum.newBuilder().setIsMonotonic(false)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T0_NANOS).setAsInt(7))).build();
    Map<String, MetricPoint> points = byMetric(decoder.metrics(request(delta, upDown)));
    assertThat(points.get("requests").getValue()).isEqualTo(5.0);
    assertThat(points.get("requests").getUnit()).isEqualTo("1/s");
    assertThat(points.get("queue.size").getValue()).isEqualTo(7.0);
  }

  @Test
  void cumulativeHistogramsGiveRateMeanAndQuantilesOfTheInterval() throws Exception {
    Function<long[], Metric> histogram = counts -> Metric.newBuilder().setName("http.server.request.duration")
        .setUnit("s").setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(T0_NANOS)
                .setTimeUnixNano(T0_NANOS + counts[0] * SECOND).setCount(Arrays.stream(counts).skip(2).sum())
                .setSum(counts[1]).addAllExplicitBounds(List.of(0.1, 0.5, 1.0))
                .addAllBucketCounts(Arrays.stream(counts).skip(2).boxed().toList()))).build();
    assertThat(decoder.metrics(request(histogram.apply(new long[] {10, 5, 100, 0, 0, 0})))).isEmpty();
    Map<String, MetricPoint> points = byMetric(decoder.metrics(request(histogram.apply(new long[] {20, 12, 100, 0, 10, 0}))));
    assertThat(points).containsOnlyKeys("http.server.request.duration.rate", "http.server.request.duration.mean",
        "http.server.request.duration.p50", "http.server.request.duration.p90", "http.server.request.duration.p99");
    assertThat(points.get("http.server.request.duration.rate").getValue()).isEqualTo(1.0);
    assertThat(points.get("http.server.request.duration.rate").getUnit()).isEqualTo("1/s");
    assertThat(points.get("http.server.request.duration.mean").getValue()).isEqualTo(0.7);
    assertThat(points.get("http.server.request.duration.p50").getValue()).isCloseTo(0.75, within(1e-9));
    assertThat(points.get("http.server.request.duration.p99").getUnit()).isEqualTo("s");
  }

  @Test
  void exponentialHistogramsAreEstimatedFromTheirBuckets() throws Exception {
    // scale 0: base 2; positive offset 0 → buckets (1,2], (2,4], (4,8]
    Metric m = Metric.newBuilder().setName("latency").setUnit("ms").setExponentialHistogram(
        ExponentialHistogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(T0_NANOS)
                .setTimeUnixNano(T0_NANOS + 10 * SECOND).setScale(0).setCount(10).setSum(40)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0)
                    .addAllBucketCounts(List.of(0L, 5L, 5L))))).build();
    Map<String, MetricPoint> points = byMetric(decoder.metrics(request(m)));
    assertThat(points.get("latency.rate").getValue()).isEqualTo(1.0);
    assertThat(points.get("latency.p50").getValue()).isCloseTo(4.0, within(1e-9));
    assertThat(points.get("latency.p90").getValue()).isCloseTo(7.2, within(1e-9));
    assertThat(points.get("latency.mean").getValue()).isEqualTo(4.0);
  }

  @Test
  void summariesGiveTheirQuantilesAndTheRateOfTheirCount() throws Exception {
    Function<Long, Metric> summary = seconds -> Metric.newBuilder().setName("rpc_duration_seconds")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setStartTimeUnixNano(T0_NANOS)
            .setTimeUnixNano(T0_NANOS + seconds * SECOND).setCount(seconds * 4).setSum(seconds)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.2))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(0.9))))
        .build();
    assertThat(byMetric(decoder.metrics(request(summary.apply(10L))))).containsOnlyKeys("rpc.duration.p50", "rpc.duration.p99");
    Map<String, MetricPoint> points = byMetric(decoder.metrics(request(summary.apply(20L))));
    assertThat(points.get("rpc.duration.p99").getValue()).isEqualTo(0.9);
    assertThat(points.get("rpc.duration.p99").getUnit()).isEqualTo("s");
    assertThat(points.get("rpc.duration.rate").getValue()).isEqualTo(4.0);
  }

  @Test
  void stalenessMarkersAreSkippedAndMissingTimesUseTheClock() throws Exception {
    Metric m = Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setFlags(1).setTimeUnixNano(T0_NANOS).setAsDouble(1))
        .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(2))).build();
    assertThat(decoder.metrics(request(m))).singleElement().satisfies(p -> {
      assertThat(p.getValue()).isEqualTo(2.0);
      assertThat(p.getEventTime()).isEqualTo(clock.instant());
    });
  }

  @Test
  void decodesCollectorStyleOtlpJson() throws Exception {
    Map<String, MetricPoint> points = byMetric(decoder.decodeMetrics(resource("/otlp/metrics-collector.json"),
        OtlpDecoder.Format.JSON));
    assertThat(points).containsKeys("jvm.memory.used", "jvm.cpu.recent_utilization",
        "http.server.request.duration.rate", "http.server.request.duration.p50");
    MetricPoint memory = points.get("jvm.memory.used");
    assertThat(memory.getValue()).isEqualTo(41943040.0); // int64 written as a string
    assertThat(memory.getEntityId()).isEqualTo("shop/checkout");
    assertThat(memory.getEntityKind()).isEqualTo("service");
    assertThat(memory.getTags()).containsEntry("jvm.memory.pool.name", "G1 Eden Space")
        .doesNotContainKey("telemetry.sdk.language");
    assertThat(memory.getEventTime()).isEqualTo(Instant.ofEpochSecond(1764129660L));
    assertThat(points.get("http.server.request.duration.rate").getValue()).isCloseTo(100 / 60.0, within(1e-9));
    assertThat(points.get("http.server.request.duration.p50").getValue()).isCloseTo(0.1, within(1e-9));
    assertThat(points.get("http.server.request.duration.p50").getTags()).containsEntry("http.response.status_code", "200");
  }

  @Test
  void decodesOtlpJsonLogsWithHexTraceIds() throws Exception {
    List<LogRecord> logs = decoder.decodeLogs(resource("/otlp/logs-collector.json"), OtlpDecoder.Format.JSON);
    assertThat(logs).hasSize(2);
    LogRecord error = logs.get(0);
    assertThat(error.getEntityId()).isEqualTo("shop/checkout-5d9c7-abcde");
    assertThat(error.getEntityKind()).isEqualTo("pod");
    assertThat(error.getSeverity()).isEqualTo(LogSeverity.ERROR);
    assertThat(error.getMessage()).isEqualTo("payment gateway timed out after 3000 ms");
    assertThat(error.getEventTime()).isEqualTo(Instant.ofEpochMilli(1764129660123L));
    assertThat(error.getAttributes()).containsEntry("trace_id", "5b8efff798038103d269b633813fc60c")
        .containsEntry("span_id", "eee19b7ec3c1b174").containsEntry("retry", "2")
        .containsEntry("otel.scope.name", "com.example.Checkout");
    LogRecord warning = logs.get(1);
    assertThat(warning.getSeverity()).isEqualTo(LogSeverity.WARN);
    assertThat(warning.getMessage()).isEqualTo("{\"event\":\"slow\"}");
    assertThat(warning.getEventTime()).isEqualTo(Instant.ofEpochSecond(1764129661L));
  }

  @Test
  void protobufAndJsonOfTheSameLogsDecodeAlike() throws Exception {
    ExportLogsServiceRequest parsed = OtlpDecoder.parseLogs(resource("/otlp/logs-collector.json"), OtlpDecoder.Format.JSON);
    List<LogRecord> fromProtobuf = decoder.decodeLogs(parsed.toByteArray(), OtlpDecoder.Format.PROTOBUF);
    assertThat(fromProtobuf).isEqualTo(decoder.decodeLogs(resource("/otlp/logs-collector.json"), OtlpDecoder.Format.JSON));
  }

  @Test
  void truncatedProtobufIsNamedAsSuch() {
    byte[] full = request(counter("c", "1", T0_NANOS, T0_NANOS, 1)).toByteArray();
    byte[] truncated = Arrays.copyOf(full, full.length - 5);
    assertThatThrownBy(() -> decoder.decodeMetrics(truncated, OtlpDecoder.Format.PROTOBUF))
        .isInstanceOf(MalformedTelemetryException.class).hasMessageStartingWith("truncated protobuf: ");
  }

  @Test
  void garbageBytesAreMalformedProtobuf() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    assertThatThrownBy(() -> decoder.decodeMetrics(garbage, OtlpDecoder.Format.PROTOBUF))
        .isInstanceOf(MalformedTelemetryException.class).hasMessageContaining("protobuf");
    // a well-formed message of another type (only field 15) is not an empty request
    assertThatThrownBy(() -> decoder.decodeMetrics(new byte[] {0x7a, 0x01, 0x00}, OtlpDecoder.Format.PROTOBUF))
        .isInstanceOf(MalformedTelemetryException.class)
        .hasMessageStartingWith("malformed protobuf: not an OTLP ExportMetricsServiceRequest");
  }

  @Test
  void malformedJsonIsNotOtlpJson() {
    byte[] broken = "{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> decoder.decodeMetrics(broken, OtlpDecoder.Format.JSON))
        .isInstanceOf(MalformedTelemetryException.class).hasMessageStartingWith("not OTLP JSON: ");
    assertThatThrownBy(() -> decoder.decodeMetrics("[1,2]".getBytes(StandardCharsets.UTF_8), OtlpDecoder.Format.JSON))
        .hasMessage("not OTLP JSON: expected an ExportMetricsServiceRequest object, got array");
    assertThatThrownBy(() -> decoder.decodeMetrics(new byte[0], OtlpDecoder.Format.JSON))
        .hasMessage("not OTLP JSON: empty body");
    assertThatThrownBy(() -> decoder.decodeMetrics(
        "{\"resourceMetrics\": \"nope\"}".getBytes(StandardCharsets.UTF_8), OtlpDecoder.Format.JSON))
        .isInstanceOf(MalformedTelemetryException.class).hasMessageStartingWith("not OTLP JSON: ExportMetricsServiceRequest");
    assertThatThrownBy(() -> decoder.decodeLogs(
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"xyz\"}]}]}]}".getBytes(StandardCharsets.UTF_8),
        OtlpDecoder.Format.JSON)).hasMessage("not OTLP JSON: traceId is not hex: 'xyz'");
  }

  @Test
  void formatComesFromContentTypeOrIsSniffed() {
    assertThat(OtlpDecoder.Format.ofContentType("application/json; charset=utf-8")).contains(OtlpDecoder.Format.JSON);
    assertThat(OtlpDecoder.Format.ofContentType("application/x-protobuf")).contains(OtlpDecoder.Format.PROTOBUF);
    assertThat(OtlpDecoder.Format.ofContentType("text/plain")).isEmpty();
    assertThat(OtlpDecoder.Format.sniff(" \n{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(OtlpDecoder.Format.JSON);
    assertThat(OtlpDecoder.Format.sniff(request().toByteArray())).isEqualTo(OtlpDecoder.Format.PROTOBUF);
  }
}
