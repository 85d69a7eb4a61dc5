package io.autonomic.streams.normalizer.formats;

import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.ingest.normalize.OtlpDecoder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * telemetry.raw.otlp: OTLP metrics and logs as the OpenTelemetry Collector's Kafka exporter writes them
 * ({@code encoding: otlp_proto} or {@code otlp_json}), decoded and normalized by ingest's shared
 * {@link OtlpDecoder}.
 *
 * <p>The exporter writes one export request per record and, by default, no header saying which signal it is. A
 * {@code signal} header ({@code metrics} or {@code logs}) is honoured when present; otherwise JSON is told apart
 * by its top-level key and protobuf by structure: both requests start with field 1, but a log record read as a
 * Metric (or the reverse) leaves unknown fields, since their first fields differ in wire type.
 */
public final class OtlpFormat implements RawFormat {
  private final OtlpDecoder decoder;

  public OtlpFormat(OtlpDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public Decoded decode(byte[] value, Headers headers, long recordTimestamp) throws MalformedTelemetryException {
    OtlpDecoder.Format format = OtlpDecoder.Format.sniff(value);
    String signal = header(headers, "signal");
    if (signal == null) {
      signal = format == OtlpDecoder.Format.JSON ? jsonSignal(value) : protobufSignal(value);
    }
    if (signal.equals("logs")) {
      return Decoded.logs(decoder.decodeLogs(value, format));
    }
    if (!signal.equals("metrics")) {
      throw new MalformedTelemetryException("otlp: header 'signal' is '" + signal + "', expected metrics or logs");
    }
    int guardedBefore = (int) decoder.normalizer().guard().droppedPoints();
    var points = decoder.decodeMetrics(value, format);
    int refused = (int) decoder.normalizer().guard().droppedPoints() - guardedBefore;
    return Decoded.metrics(points, Math.max(0, refused));
  }

  private static String header(Headers headers, String key) {
    if (headers == null) {
      return null;
    }
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? null
        : new String(h.value(), StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
  }

  private static String jsonSignal(byte[] value) {
    String head = new String(value, 0, Math.min(value.length, 512), StandardCharsets.UTF_8);
    return head.contains("\"resourceLogs\"") || head.contains("\"resource_logs\"") ? "logs" : "metrics";
  }

  /**
   * Metrics unless the first metric, read as such, only makes sense as a log record. Malformed bytes are left to
   * the metrics decoder, whose error names the problem.
   */
  private static String protobufSignal(byte[] value) {
    try {
      ExportMetricsServiceRequest asMetrics = ExportMetricsServiceRequest.parseFrom(value);
      Metric first = asMetrics.getResourceMetricsList().stream()
          .flatMap(rm -> rm.getScopeMetricsList().stream())
          .flatMap(sm -> sm.getMetricsList().stream())
          .findFirst().orElse(null);
      if (first != null && first.getDataCase() != Metric.DataCase.DATA_NOT_SET
          && first.getUnknownFields().asMap().isEmpty()) {
        return "metrics";
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException notMetrics) {
      // a log request can fail to parse as metrics (a fixed64 where a group would be): try logs
    }
    try {
      ExportLogsServiceRequest asLogs = ExportLogsServiceRequest.parseFrom(value);
      boolean logs = asLogs.getResourceLogsList().stream()
          .flatMap(rl -> rl.getScopeLogsList().stream())
          .flatMap(sl -> sl.getLogRecordsList().stream())
          .findFirst().map(r -> r.getUnknownFields().asMap().isEmpty()).orElse(false);
      return logs ? "logs" : "metrics";
    } catch (com.google.protobuf.InvalidProtocolBufferException neither) {
      return "metrics";
    }
  }
}
