package io.autonomic.streams.normalizer;

import static io.autonomic.streams.testing.Drivers.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.common.AvroSerdes;
import io.autonomic.streams.testing.Drivers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NormalizerTopologyTest {
  static final long T0_NANOS = T0.toEpochMilli() * 1_000_000L;

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final AvroSerdes serdes = Drivers.serdes();
  final Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
  TopologyTestDriver driver;
  TestInputTopic<byte[], byte[]> otlp;
  TestInputTopic<byte[], byte[]> influx;
  TestInputTopic<byte[], byte[]> json;
  TestOutputTopic<String, MetricPoint> metrics;
  TestOutputTopic<String, LogRecord> logs;
  TestOutputTopic<String, DeadLetter> dlq;

  @BeforeEach
  void start() {
    driver = Drivers.driver(NormalizerTopology.buildTopology(NormalizerApp.inputs(CardinalityGuard.unlimited(), clock),
        serdes, meters, clock));
    otlp = driver.createInputTopic(Topics.RAW_OTLP.name(), new ByteArraySerializer(), new ByteArraySerializer());
    influx = driver.createInputTopic(Topics.RAW_INFLUX.name(), new ByteArraySerializer(), new ByteArraySerializer());
    json = driver.createInputTopic(Topics.RAW_JSON.name(), new ByteArraySerializer(), new ByteArraySerializer());
    metrics = driver.createOutputTopic(Topics.METRICS.name(), new StringDeserializer(),
        serdes.metricPoint().deserializer());
    logs = driver.createOutputTopic(Topics.LOGS.name(), new StringDeserializer(), serdes.logRecord().deserializer());
    dlq = driver.createOutputTopic(Topics.DLQ.name(), new StringDeserializer(), serdes.deadLetter().deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static ExportMetricsServiceRequest gaugeRequest(String host, String name, double value) {
    Metric gauge = Metric.newBuilder().setName(name).setUnit("1").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T0_NANOS).setAsDouble(value))).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("host.name", host)))
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(Arrays.asList(gauge)))).build();
  }

  static ExportLogsServiceRequest logsRequest(String pod, String body) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("k8s.namespace.name", "shop"))
            .addAttributes(kv("k8s.pod.name", pod)))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
            .setTimeUnixNano(T0_NANOS).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
            .setBody(AnyValue.newBuilder().setStringValue(body))))).build();
  }

  double counter(String name, String format) {
    var c = meters.find(name).tag("format", format).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void normalizesOtlpProtobufMetricsThroughTheSharedRules() {
    otlp.pipeInput(null, gaugeRequest("node-1", "system.cpu.utilization", 0.42).toByteArray(), T0);

    var out = metrics.readKeyValuesToList();
    assertThat(out).singleElement().satisfies(kv -> {
      assertThat(kv.key).isEqualTo("node-1");
      assertThat(kv.value.getMetric()).isEqualTo("system.cpu.utilization");
      assertThat(kv.value.getValue()).isEqualTo(0.42);
      assertThat(kv.value.getEventTime()).isEqualTo(T0);
      assertThat(kv.value.getSource()).isEqualTo("normalizer:otlp");
    });
    assertThat(counter("autonomic.normalizer.points.out", "otlp")).isEqualTo(1);
  }

  @Test
  void normalizesOtlpProtobufLogsToTheLogsTopic() {
    otlp.pipeInput(null, logsRequest("checkout-7d9f", "payment declined").toByteArray(), T0);

    var out = logs.readKeyValuesToList();
    assertThat(out).singleElement().satisfies(kv -> {
      assertThat(kv.key).isEqualTo("shop/checkout-7d9f");
      assertThat(kv.value.getMessage()).isEqualTo("payment declined");
      assertThat(kv.value.getSeverity()).isEqualTo(LogSeverity.ERROR);
      assertThat(kv.value.getEntityKind()).isEqualTo("pod");
    });
    assertThat(metrics.isEmpty()).isTrue();
  }

  @Test
  void normalizesOtlpJsonMetricsAndLogs() {
    String metricsJson = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"host.name\",\"value\":"
        + "{\"stringValue\":\"node-2\"}}]},\"scopeMetrics\":[{\"metrics\":[{\"name\":\"queue.depth\",\"gauge\":"
        + "{\"dataPoints\":[{\"timeUnixNano\":\"" + T0_NANOS + "\",\"asInt\":\"7\"}]}}]}]}]}";
    String logsJson = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"host.name\",\"value\":"
        + "{\"stringValue\":\"node-2\"}}]},\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"" + T0_NANOS
        + "\",\"severityText\":\"WARN\",\"body\":{\"stringValue\":\"disk almost full\"}}]}]}]}";
    otlp.pipeInput(null, utf8(metricsJson), T0);
    otlp.pipeInput(null, utf8(logsJson), T0);

    assertThat(metrics.readValuesToList()).singleElement()
        .satisfies(p -> assertThat(p.getEntityId() + " " + p.getMetric() + "=" + p.getValue())
            .isEqualTo("node-2 queue.depth=7.0"));
    assertThat(logs.readValuesToList()).singleElement()
        .satisfies(l -> assertThat(l.getMessage()).isEqualTo("disk almost full"));
  }

  @Test
  void normalizesTelegrafLineProtocol() {
    influx.pipeInput(null, utf8("cpu,host=web-1,cpu=cpu-total usage_idle=92.5,usage_user=3.25 " + T0_NANOS + "\n"
        + "mem,host=web-1 used_percent=41.5,available=8123456i " + T0_NANOS + "\n"
        + "system,host=web-1 uptime_format=\"3 days\" " + T0_NANOS + "\n"), T0);

    List<MetricPoint> out = metrics.readValuesToList();
    assertThat(out).extracting(MetricPoint::getMetric)
        .containsExactlyInAnyOrder("cpu.usage_idle", "cpu.usage_user", "mem.used_percent", "mem.available");
    assertThat(out).allSatisfy(p -> {
      assertThat(p.getEntityId()).isEqualTo("web-1");
      assertThat(p.getEntityKind()).isEqualTo("host");
      assertThat(p.getEventTime()).isEqualTo(T0);
      assertThat(p.getSource()).isEqualTo("normalizer:influx");
    });
    assertThat(out.stream().filter(p -> p.getMetric().equals("cpu.usage_idle")).findFirst().orElseThrow()
        .getTags()).containsEntry("cpu", "cpu-total");
    assertThat(counter("autonomic.normalizer.skipped", "influx")).isEqualTo(1); // the string field
  }

  @Test
  void normalizesFluentBitAndVectorJsonLogs() {
    json.pipeInput(null, utf8("{\"@timestamp\":" + T0.getEpochSecond() + ".250,\"log\":\"GET /cart 500\","
        + "\"stream\":\"stderr\",\"level\":\"error\",\"kubernetes\":{\"pod_name\":\"cart-5c\","
        + "\"namespace_name\":\"shop\",\"container_name\":\"cart\",\"host\":\"node-3\"}}"), T0);
    json.pipeInput(null, utf8("{\"timestamp\":\"" + T0 + "\",\"message\":\"connection reset\",\"host\":\"db-1\","
        + "\"source_type\":\"file\",\"file\":\"/var/log/db.log\",\"severity\":\"warning\"}"), T0);

    List<LogRecord> out = logs.readValuesToList();
    assertThat(out).hasSize(2);
    LogRecord fluentBit = out.get(0);
    assertThat(fluentBit.getEntityId()).isEqualTo("shop/cart-5c");
    assertThat(fluentBit.getEntityKind()).isEqualTo("pod");
    assertThat(fluentBit.getEventTime()).isEqualTo(T0.plusMillis(250));
    assertThat(fluentBit.getSeverity()).isEqualTo(LogSeverity.ERROR);
    assertThat(fluentBit.getMessage()).isEqualTo("GET /cart 500");
    assertThat(fluentBit.getAttributes()).containsEntry("kubernetes.container_name", "cart");
    LogRecord vector = out.get(1);
    assertThat(vector.getEntityId()).isEqualTo("db-1");
    assertThat(vector.getSeverity()).isEqualTo(LogSeverity.WARN);
    assertThat(vector.getEventTime()).isEqualTo(T0);
    assertThat(vector.getSource()).isEqualTo("/var/log/db.log");
  }

  @Test
  void sendsTruncatedProtobufToTheDlqWithItsBytesAndSource() {
    byte[] whole = gaugeRequest("node-1", "system.cpu.utilization", 0.42).toByteArray();
    byte[] truncated = Arrays.copyOf(whole, whole.length - 7);
    otlp.pipeInput(utf8("k"), truncated, T0);
    otlp.pipeInput(null, whole, T0); // the app keeps going

    DeadLetter letter = dlq.readValue();
    assertThat(letter.getReason()).startsWith("truncated protobuf");
    assertThat(letter.getSourceTopic()).isEqualTo(Topics.RAW_OTLP.name());
    assertThat(letter.getSourcePartition()).isZero();
    assertThat(letter.getSourceOffset()).isZero();
    assertThat(letter.getValue().array()).isEqualTo(truncated);
    assertThat(letter.getKey().array()).isEqualTo(utf8("k"));
    assertThat(letter.getProcessor()).isEqualTo("normalizer:otlp");
    assertThat(letter.getFailedAt()).isEqualTo(clock.instant());
    assertThat(metrics.readValuesToList()).hasSize(1);
    assertThat(counter("autonomic.normalizer.dead.letters", "otlp")).isEqualTo(1);
  }

  @Test
  void sendsInvalidLineProtocolToTheDlqNamingLineAndProblem() {
    influx.pipeInput(null, utf8("cpu,host=web-1 usage_idle=92.5\ncpu,host=web-1 usage_idle=high\n"), T0);

    DeadLetter letter = dlq.readValue();
    assertThat(letter.getReason()).isEqualTo("invalid line protocol: line 2 column 27: field 'usage_idle' value "
        + "'high' is not a number, boolean or quoted string in 'cpu,host=web-1 usage_idle=high'");
    assertThat(letter.getSourceTopic()).isEqualTo(Topics.RAW_INFLUX.name());
    assertThat(metrics.isEmpty()).as("a record is all or nothing").isTrue();
    assertThat(counter("autonomic.normalizer.dead.letters", "influx")).isEqualTo(1);
  }

  @Test
  void sendsNonJsonToTheDlq() {
    json.pipeInput(null, utf8("GET /cart 500 - this is not json"), T0);
    json.pipeInput(null, utf8("{\"level\":\"info\"}"), T0);

    List<DeadLetter> letters = dlq.readValuesToList();
    assertThat(letters).extracting(DeadLetter::getReason).satisfiesExactly(
        r -> assertThat(r).startsWith("not JSON: Unrecognized token 'GET'"),
        r -> assertThat(r).isEqualTo("json log: no message field (looked for message, log, msg, MESSAGE)"));
    assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(0L, 1L);
    assertThat(counter("autonomic.normalizer.dead.letters", "json")).isEqualTo(2);
  }
}
