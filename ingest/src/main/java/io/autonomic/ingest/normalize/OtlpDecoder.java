package io.autonomic.ingest.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Decodes OTLP/HTTP payloads ({@code ExportMetricsServiceRequest}, {@code ExportLogsServiceRequest}),
 * binary protobuf or OTLP-JSON, into normalized {@link MetricPoint}s and {@link LogRecord}s.
 *
 * <ul>
 *   <li>Gauges and non-monotonic sums pass as values.</li>
 *   <li>Cumulative monotonic sums become per-second rates (unit {@code <unit>/s}); the first sample
 *       of a series only primes it. Delta monotonic sums become rates over their own interval.</li>
 *   <li>Histograms (explicit and exponential) become {@code <name>.rate} (observations per second),
 *       {@code <name>.mean} and quantile estimates {@code <name>.p50}, {@code .p90}, {@code .p99}
 *       over the interval (cumulative ones are differenced per series).</li>
 *   <li>Summaries give their own quantiles as {@code <name>.pNN} and the rate of their count.</li>
 * </ul>
 *
 * <p>OTLP-JSON differs from protobuf's canonical JSON mapping in one way that matters: trace and
 * span ids are hex, not base64, so they are rewritten before {@link JsonFormat} parses the rest
 * (which already accepts lowerCamelCase keys, int64 as strings and enums as integers).
 *
 * <p>Holds per-series state for rates (one entry per counter or histogram series), so one decoder
 * should see all the points of a series. Thread-safe.
 */
public final class OtlpDecoder {
  /** Payload encodings of OTLP/HTTP. */
  public enum Format {
    PROTOBUF, JSON;

    /** From a Content-Type header: {@code application/json} → JSON, {@code application/x-protobuf} → PROTOBUF. */
    public static Optional<Format> ofContentType(String contentType) {
      if (contentType == null) {
        return Optional.empty();
      }
      String ct = contentType.toLowerCase(Locale.ROOT);
      if (ct.startsWith("application/json")) {
        return Optional.of(JSON);
      }
      if (ct.startsWith("application/x-protobuf") || ct.startsWith("application/protobuf")) {
        return Optional.of(PROTOBUF);
      }
      return Optional.empty();
    }

    /**
     * Guesses the encoding of a payload without headers (a raw Kafka record). A protobuf request starts
     * with field 1 (byte 0x0A); a JSON one with '{' after optional whitespace, which as protobuf would
     * be an invalid group tag, so the guess is unambiguous.
     */
    public static Format sniff(byte[] payload) {
      for (byte b : payload) {
        if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
          continue;
        }
        return b == '{' ? JSON : PROTOBUF;
      }
      return PROTOBUF;
    }
  }

  public static final List<Double> DEFAULT_QUANTILES = List.of(0.5, 0.9, 0.99);

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final List<String> HEX_ID_FIELDS = List.of("traceId", "spanId", "parentSpanId",
      "trace_id", "span_id", "parent_span_id");

  private final Normalizer normalizer;
  private final Clock clock;
  private final List<Double> quantiles;
  private final CounterRates rates = new CounterRates();
  private final Histograms histograms = new Histograms();

  public OtlpDecoder(Normalizer normalizer, Clock clock) {
    this(normalizer, clock, DEFAULT_QUANTILES);
  }

  public OtlpDecoder(Normalizer normalizer, Clock clock, List<Double> quantiles) {
    this.normalizer = normalizer;
    this.clock = clock;
    this.quantiles = List.copyOf(quantiles);
  }

  public Normalizer normalizer() {
    return normalizer;
  }

  /** Decodes and normalizes an {@code ExportMetricsServiceRequest}. */
  public List<MetricPoint> decodeMetrics(byte[] payload, Format format) throws MalformedTelemetryException {
    return metrics(parseMetrics(payload, format));
  }

  /** Decodes and normalizes an {@code ExportLogsServiceRequest}. */
  public List<LogRecord> decodeLogs(byte[] payload, Format format) throws MalformedTelemetryException {
    return logs(parseLogs(payload, format));
  }

  public static ExportMetricsServiceRequest parseMetrics(byte[] payload, Format format)
      throws MalformedTelemetryException {
    if (format == Format.JSON) {
      ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
      mergeJson(payload, b, "ExportMetricsServiceRequest");
      return b.build();
    }
    try {
      ExportMetricsServiceRequest r = ExportMetricsServiceRequest.parseFrom(payload);
      rejectForeign(r, r.getResourceMetricsCount(), "ExportMetricsServiceRequest");
      return r;
    } catch (InvalidProtocolBufferException e) {
      throw protobufError(e, payload.length, "ExportMetricsServiceRequest");
    }
  }

  public static ExportLogsServiceRequest parseLogs(byte[] payload, Format format)
      throws MalformedTelemetryException {
    if (format == Format.JSON) {
      ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
      mergeJson(payload, b, "ExportLogsServiceRequest");
      return b.build();
    }
    try {
      ExportLogsServiceRequest r = ExportLogsServiceRequest.parseFrom(payload);
      rejectForeign(r, r.getResourceLogsCount(), "ExportLogsServiceRequest");
      return r;
    } catch (InvalidProtocolBufferException e) {
      throw protobufError(e, payload.length, "ExportLogsServiceRequest");
    }
  }

  /** Bytes that parse only as unknown fields are some other message, not an empty request. */
  private static void rejectForeign(Message m, int resources, String type) throws MalformedTelemetryException {
    if (resources == 0 && !m.getUnknownFields().asMap().isEmpty()) {
      throw new MalformedTelemetryException("malformed protobuf: not an OTLP " + type + " (only unknown fields "
          + m.getUnknownFields().asMap().keySet() + ")");
    }
  }

  private static MalformedTelemetryException protobufError(InvalidProtocolBufferException e, int length,
      String type) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("ended unexpectedly") || msg.contains("truncated")) {
      return new MalformedTelemetryException("truncated protobuf: the " + type + " ends in the middle of a field ("
          + length + " bytes)", e);
    }
    return new MalformedTelemetryException("malformed protobuf: " + type + ": " + msg, e);
  }

  private static void mergeJson(byte[] payload, Message.Builder builder, String type)
      throws MalformedTelemetryException {
    JsonNode tree;
    try {
      tree = JSON_MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new MalformedTelemetryException("not OTLP JSON: " + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr(), e);
    } catch (java.io.IOException e) {
      throw new MalformedTelemetryException("not OTLP JSON: " + e.getMessage(), e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new MalformedTelemetryException("not OTLP JSON: empty body");
    }
    if (!tree.isObject()) {
      throw new MalformedTelemetryException("not OTLP JSON: expected an " + type + " object, got "
          + tree.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    hexIdsToBase64(tree);
    try {
      JSON_PARSER.merge(JSON_MAPPER.writeValueAsString(tree), builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new MalformedTelemetryException("not OTLP JSON: " + type + ": " + e.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new MalformedTelemetryException("not OTLP JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void hexIdsToBase64(JsonNode node) throws MalformedTelemetryException {
    if (node instanceof ObjectNode object) {
      for (String field : HEX_ID_FIELDS) {
        JsonNode v = object.get(field);
        if (v != null && v.isTextual() && !v.asText().isEmpty()) {
          try {
            object.set(field, TextNode.valueOf(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(v.asText()))));
          } catch (IllegalArgumentException e) {
            throw new MalformedTelemetryException("not OTLP JSON: " + field + " is not hex: '" + v.asText() + "'");
          }
        }
      }
      Iterator<JsonNode> children = object.elements();
      while (children.hasNext()) {
        hexIdsToBase64(children.next());
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode child : array) {
        hexIdsToBase64(child);
      }
    }
  }

  /** Normalizes a parsed metrics request. */
  public List<MetricPoint> metrics(ExportMetricsServiceRequest request) {
    List<MetricPoint> out = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Map<String, String> resource = attributes(rm.getResource().getAttributesList());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric metric : sm.getMetricsList()) {
          metric(resource, metric, out::add);
        }
      }
    }
    return out;
  }

  private void metric(Map<String, String> resource, Metric metric, Consumer<MetricPoint> out) {
    MetricNames.Canonical c = MetricNames.canonical(metric.getName(), metric.getUnit());
    switch (metric.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
          if (!noValue(p.getFlags())) {
            emit(resource, attributes(p.getAttributesList()), c.name(), c.unit(), number(p), millis(p.getTimeUnixNano()), out);
          }
        }
      }
      case SUM -> {
        boolean monotonic = metric.getSum().getIsMonotonic();
        boolean cumulative = metric.getSum().getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          if (noValue(p.getFlags())) {
            continue;
          }
          Map<String, String> attrs = attributes(p.getAttributesList());
          long time = millis(p.getTimeUnixNano());
          long start = p.getStartTimeUnixNano() / 1_000_000L;
          if (!monotonic) {
            emit(resource, attrs, c.name(), c.unit(), number(p), time, out);
          } else if (cumulative) {
            OptionalDouble rate = rates.rate(key(resource, attrs, c.name()), number(p), time, start, 0);
            if (rate.isPresent()) {
              emit(resource, attrs, c.name(), MetricNames.rateUnit(c.unit()), rate.getAsDouble(), time, out);
            }
          } else if (start > 0 && time > start) {
            emit(resource, attrs, c.name(), MetricNames.rateUnit(c.unit()), number(p) / ((time - start) / 1000.0), time, out);
          } else {
            emit(resource, attrs, c.name(), c.unit(), number(p), time, out);
          }
        }
      }
      case HISTOGRAM -> {
        boolean cumulative = metric.getHistogram().getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
          if (noValue(p.getFlags()) || p.getBucketCountsCount() == 0) {
            continue;
          }
          double[] bounds = p.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue).toArray();
          double[] counts = p.getBucketCountsList().stream().mapToDouble(Long::doubleValue).toArray();
          if (counts.length != bounds.length + 1) {
            continue; // invalid per the OTLP spec; nothing sensible to estimate
          }
          histogram(resource, attributes(p.getAttributesList()), c, new Histograms.Buckets(bounds, counts),
              p.getSum(), millis(p.getTimeUnixNano()), p.getStartTimeUnixNano() / 1_000_000L, cumulative, out);
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        boolean cumulative = metric.getExponentialHistogram().getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        for (ExponentialHistogramDataPoint p : metric.getExponentialHistogram().getDataPointsList()) {
          if (noValue(p.getFlags())) {
            continue;
          }
          histogram(resource, attributes(p.getAttributesList()), c, exponentialBuckets(p), p.getSum(),
              millis(p.getTimeUnixNano()), p.getStartTimeUnixNano() / 1_000_000L, cumulative, out);
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
          if (noValue(p.getFlags())) {
            continue;
          }
          Map<String, String> attrs = attributes(p.getAttributesList());
          long time = millis(p.getTimeUnixNano());
          for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            emit(resource, attrs, c.name() + "." + MetricNames.quantileSuffix(q.getQuantile()), c.unit(),
                q.getValue(), time, out);
          }
          OptionalDouble rate = rates.rate(key(resource, attrs, c.name() + ".rate"), p.getCount(), time,
              p.getStartTimeUnixNano() / 1_000_000L, 0);
          if (rate.isPresent()) {
            emit(resource, attrs, c.name() + ".rate", "1/s", rate.getAsDouble(), time, out);
          }
        }
      }
      default -> {
        // DATA_NOT_SET: a metric without data carries nothing to publish.
      }
    }
  }

  private void histogram(Map<String, String> resource, Map<String, String> attrs, MetricNames.Canonical c,
      Histograms.Buckets buckets, double sum, long time, long start, boolean cumulative,
      Consumer<MetricPoint> out) {
    Optional<Histograms.Interval> interval = cumulative
        ? histograms.cumulative(key(resource, attrs, c.name()), buckets, sum, time, start)
        : Optional.of(Histograms.delta(buckets, sum, time, start));
    if (interval.isEmpty()) {
      return;
    }
    Histograms.Interval i = interval.get();
    emit(resource, attrs, c.name() + ".rate", "1/s", i.ratePerSecond(), time, out);
    if (i.count() > 0) {
      emit(resource, attrs, c.name() + ".mean", c.unit(), i.sum() / i.count(), time, out);
      for (double q : quantiles) {
        emit(resource, attrs, c.name() + "." + MetricNames.quantileSuffix(q), c.unit(),
            Histograms.quantile(i.buckets(), q), time, out);
      }
    }
  }

  /** Exponential buckets as explicit ones: bucket i of scale s covers (base^i, base^(i+1)], base = 2^(2^-s). */
  static Histograms.Buckets exponentialBuckets(ExponentialHistogramDataPoint p) {
    double base = Math.pow(2, Math.pow(2, -p.getScale()));
    List<Double> bounds = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    ExponentialHistogramDataPoint.Buckets neg = p.getNegative();
    for (int k = neg.getBucketCountsCount() - 1; k >= 0; k--) {
      bounds.add(-Math.pow(base, neg.getOffset() + k));
      counts.add((double) neg.getBucketCounts(k));
    }
    bounds.add(0.0);
    counts.add((double) p.getZeroCount());
    ExponentialHistogramDataPoint.Buckets pos = p.getPositive();
    if (pos.getBucketCountsCount() > 0) {
      bounds.add(Math.pow(base, pos.getOffset()));
      counts.add(0.0);
      for (int k = 0; k < pos.getBucketCountsCount(); k++) {
        bounds.add(Math.pow(base, pos.getOffset() + k + 1));
        counts.add((double) pos.getBucketCounts(k));
      }
    }
    counts.add(0.0);
    return new Histograms.Buckets(bounds.stream().mapToDouble(Double::doubleValue).toArray(),
        counts.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private void emit(Map<String, String> resource, Map<String, String> attrs, String name, String unit,
      double value, long time, Consumer<MetricPoint> out) {
    normalizer.canonicalMetric(resource, attrs, name, unit, value, time).ifPresent(out);
  }

  private static String key(Map<String, String> resource, Map<String, String> attrs, String name) {
    Map<String, String> all = new java.util.TreeMap<>(attrs);
    all.putAll(resource);
    return CardinalityGuard.seriesKey("", name, all);
  }

  private static boolean noValue(int flags) {
    return (flags & 1) != 0; // FLAG_NO_RECORDED_VALUE: a staleness marker, not a zero
  }

  private static double number(NumberDataPoint p) {
    return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
  }

  private long millis(long unixNanos) {
    return unixNanos > 0 ? unixNanos / 1_000_000L : clock.millis();
  }

  /** Normalizes a parsed logs request. */
  public List<LogRecord> logs(ExportLogsServiceRequest request) {
    List<LogRecord> out = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Map<String, String> resource = attributes(rl.getResource().getAttributesList());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (io.opentelemetry.proto.logs.v1.LogRecord r : sl.getLogRecordsList()) {
          Map<String, String> attrs = attributes(r.getAttributesList());
          if (!r.getTraceId().isEmpty()) {
            attrs.put("trace_id", HexFormat.of().formatHex(r.getTraceId().toByteArray()));
          }
          if (!r.getSpanId().isEmpty()) {
            attrs.put("span_id", HexFormat.of().formatHex(r.getSpanId().toByteArray()));
          }
          if (!sl.getScope().getName().isEmpty()) {
            attrs.put("otel.scope.name", sl.getScope().getName());
          }
          long nanos = r.getTimeUnixNano() > 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
          var severity = r.getSeverityNumberValue() > 0 ? Normalizer.severity(r.getSeverityNumberValue())
              : Normalizer.severity(r.getSeverityText());
          if (!r.getSeverityText().isEmpty()) {
            attrs.put("severity_text", r.getSeverityText());
          }
          out.add(normalizer.log(resource, attrs, millis(nanos), severity, text(r.getBody()), "otlp"));
        }
      }
    }
    return out;
  }

  /** Attributes as strings: scalars as written, arrays and maps as JSON, bytes as hex. */
  public static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), text(kv.getValue()));
    }
    return out;
  }

  /** A value as text: strings as they are, other scalars in their usual form, arrays and maps as JSON. */
  public static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BYTES_VALUE -> HexFormat.of().formatHex(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> {
        try {
          yield JSON_MAPPER.writeValueAsString(plain(v));
        } catch (JsonProcessingException e) {
          yield v.toString();
        }
      }
      case VALUE_NOT_SET -> "";
    };
  }

  private static Object plain(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> HexFormat.of().formatHex(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpDecoder::plain).toList();
      case KVLIST_VALUE -> {
        Map<String, Object> m = new LinkedHashMap<>();
        v.getKvlistValue().getValuesList().forEach(kv -> m.put(kv.getKey(), plain(kv.getValue())));
        yield m;
      }
      case VALUE_NOT_SET -> null;
    };
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
