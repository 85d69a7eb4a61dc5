package io.autonomic.demo.fleet;

import java.util.List;

/**
 * Metric names and units the simulated replicas publish: the names the host agent and the OTLP normalizer use
 * (OpenTelemetry semantic conventions; ratios in [0,1] with unit "1", durations in seconds).
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String CPU = "system.cpu.utilization";
  public static final String MEMORY_USAGE = "system.memory.usage";
  public static final String MEMORY_UTILIZATION = "system.memory.utilization";
  public static final String LATENCY_P50 = "http.server.request.duration.p50";
  public static final String LATENCY_P99 = "http.server.request.duration.p99";
  public static final String REQUEST_RATE = "http.server.request.rate";
  public static final String ERROR_RATIO = "http.server.request.error.ratio";
  public static final String QUEUE_DEPTH = "queue.depth";

  /** Every metric a live replica publishes each tick, in this order. */
  public static final List<String> ALL = List.of(CPU, MEMORY_USAGE, MEMORY_UTILIZATION, LATENCY_P50, LATENCY_P99,
      REQUEST_RATE, ERROR_RATIO, QUEUE_DEPTH);

  /** UCUM unit of a metric. */
  public static String unit(String metric) {
    return switch (metric) {
      case MEMORY_USAGE -> "By";
      case LATENCY_P50, LATENCY_P99 -> "s";
      case REQUEST_RATE -> "{request}/s";
      case QUEUE_DEPTH -> "{request}";
      default -> "1";
    };
  }
}
