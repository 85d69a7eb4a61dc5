package io.autonomic.streams.bench;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.common.AvroSerdes;
import io.autonomic.streams.normalizer.NormalizerApp;
import io.autonomic.streams.normalizer.NormalizerTopology;
import io.autonomic.streams.normalizer.formats.Decoded;
import io.autonomic.streams.normalizer.formats.RawFormat;
import io.autonomic.streams.testing.InMemorySchemaRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Normalizer throughput per core, per input format: one thread decodes, normalizes (shared Normalizer) and
 * Avro-serializes (registry cached) pre-built raw records, as the normalizer's stream thread does between poll
 * and send. Rates are per CPU-second of the measuring thread (ThreadMXBean), so they stay per core on a shared,
 * busy machine. Kafka I/O is left out, so these are upper bounds. Run by a main, not by the tests:
 *
 * <pre>
 * mvn -B -o -q -pl streams test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp streams/target/test-classes:streams/target/classes:$(cat streams/target/cp.txt) \
 *     io.autonomic.streams.bench.NormalizerBenchmark
 * </pre>
 */
public final class NormalizerBenchmark {
  private static final int DISTINCT = 1_000;
  private static final long TRIAL_NANOS = 3_000_000_000L;
  private static final int TRIALS = 5;

  public static void main(String[] args) throws Exception {
    List<NormalizerTopology.Input> inputs = NormalizerApp.inputs(CardinalityGuard.unlimited(), Clock.systemUTC());
    AvroSerdes serdes = AvroSerdes.using(new InMemorySchemaRegistry(), Map.of("schema.registry.url", "mock://bench"));
    Serializer<MetricPoint> points = serdes.metricPoint().serializer();
    Serializer<LogRecord> logs = serdes.logRecord().serializer();
    System.out.printf("java %s, %d available processors, 1 thread%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("format | payload | raw records per CPU-second (median of 5) | telemetry records per CPU-second");
    for (NormalizerTopology.Input input : inputs) {
      List<byte[]> payloads = payloads(input.format().name());
      double[] rates = new double[TRIALS];
      double[] outRates = new double[TRIALS];
      measure(input.format(), payloads, points, logs, 1_000_000_000L); // warm-up
      for (int t = 0; t < TRIALS; t++) {
        double[] r = measure(input.format(), payloads, points, logs, TRIAL_NANOS);
        rates[t] = r[0];
        outRates[t] = r[1];
      }
      Arrays.sort(rates);
      Arrays.sort(outRates);
      System.out.printf("%s | %s | %.0f | %.0f%n", input.format().name(), describe(input.format().name()),
          rates[TRIALS / 2], outRates[TRIALS / 2]);
    }
  }

  private static double[] measure(RawFormat format, List<byte[]> payloads, Serializer<MetricPoint> points,
      Serializer<LogRecord> logs, long nanos) throws Exception {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long records = 0;
    long out = 0;
    long sink = 0;
    while (System.nanoTime() - start < nanos) {
      for (int i = 0; i < 100; i++) {
        byte[] payload = payloads.get((int) (records % payloads.size()));
        Decoded decoded = format.decode(payload, null, System.currentTimeMillis());
        for (MetricPoint p : decoded.metrics()) {
          sink += points.serialize(Topics.METRICS.name(), p).length;
        }
        for (LogRecord l : decoded.logs()) {
          sink += logs.serialize(Topics.LOGS.name(), l).length;
        }
        out += decoded.metrics().size() + decoded.logs().size();
        records++;
      }
    }
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    if (sink == 42) {
      System.out.print("");
    }
    return new double[] {records / cpuSeconds, out / cpuSeconds};
  }

  private static String describe(String format) {
    return switch (format) {
      case "otlp" -> "OTLP protobuf request, 10 gauges";
      case "influx" -> "Telegraf line, 5 fields";
      default -> "Fluent Bit JSON log with Kubernetes metadata";
    };
  }

  private static List<byte[]> payloads(String format) {
    List<byte[]> out = new ArrayList<>();
    long nanos = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < DISTINCT; i++) {
      String host = "host-" + (i % 50);
      switch (format) {
        case "otlp" -> {
          ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
          for (int m = 0; m < 10; m++) {
            scope.addMetrics(Metric.newBuilder().setName("system.metric." + m).setUnit("1").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos + i).setAsDouble(i * 0.1 + m)
                    .addAttributes(KeyValue.newBuilder().setKey("state")
                        .setValue(AnyValue.newBuilder().setStringValue("used"))))));
          }
          out.add(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
              .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("host.name")
                  .setValue(AnyValue.newBuilder().setStringValue(host))))
              .addScopeMetrics(scope)).build().toByteArray());
        }
        case "influx" -> out.add(("cpu,cpu=cpu-total,host=" + host + " usage_idle=" + (90 + i % 10) + ".5,usage_user="
            + (i % 7) + ".25,usage_system=1.5,usage_iowait=0.25,usage_steal=0i " + (nanos + i))
            .getBytes(StandardCharsets.UTF_8));
        default -> out.add(("{\"@timestamp\":" + (System.currentTimeMillis() / 1000.0 + i) + ",\"log\":\"GET /cart/"
            + i + " 200 12ms\",\"stream\":\"stdout\",\"level\":\"info\",\"kubernetes\":{\"pod_name\":\"cart-" + (i % 20)
            + "\",\"namespace_name\":\"shop\",\"container_name\":\"cart\",\"host\":\"" + host + "\",\"labels\":{"
            + "\"app\":\"cart\"}}}").getBytes(StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
