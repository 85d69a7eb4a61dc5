package io.autonomic.ingest.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.ingest.normalize.Normalizer;
import io.autonomic.ingest.testing.RecordingSink;
import io.autonomic.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCollectorTest {
  @TempDir
  Path root;

  private final RecordingSink sink = new RecordingSink();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
  private HostCollector collector;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(root.resolve("proc/net"));
    Files.createDirectories(root.resolve("sys/class/net/eth0"));
    Files.writeString(root.resolve("sys/class/net/eth0/speed"), "1000\n");
    collector = new HostCollector(root.resolve("proc"), root.resolve("sys"), Duration.ofSeconds(10), "node-1",
        new Normalizer("agent:node-1", "node-1", CardinalityGuard.unlimited()), sink, clock);
  }

  private void snapshot(long user, long idle, long btime, double rxBytes, long sectorsRead, long busyMs) throws Exception {
    Path proc = root.resolve("proc");
    Files.writeString(proc.resolve("stat"), "cpu  " + user + " 0 100 " + idle + " 0 0 0 0 0 0\ncpu0 1 2 3 4\nbtime " + btime + "\n");
    Files.writeString(proc.resolve("loadavg"), "0.50 0.40 0.30 2/300 12345\n");
    Files.writeString(proc.resolve("meminfo"), String.join("\n", "MemTotal:       16000000 kB",
        "MemFree:         2000000 kB", "MemAvailable:    4000000 kB", "Buffers:          100000 kB",
        "Cached:          3000000 kB", ""));
    Files.writeString(proc.resolve("diskstats"), String.join("\n",
        "   7       0 loop0 5 0 10 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        "   8       0 sda 100 0 " + sectorsRead + " 50 200 0 400 80 0 " + busyMs + " 130 0 0 0 0 0 0", ""));
    Files.writeString(proc.resolve("net/dev"), String.join("\n",
        "Inter-|   Receive                                                |  Transmit",
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
        "    lo: 999 9 0 0 0 0 0 0 999 9 0 0 0 0 0 0",
        "  eth0: " + (long) rxBytes + " 10 0 0 0 0 0 0 5000 20 0 0 0 0 0 0", ""));
  }

  private MetricPoint only(String metric, Map<String, String> tags) {
    List<MetricPoint> found = sink.metrics.stream().filter(p -> p.getMetric().equals(metric)
        && p.getTags().entrySet().containsAll(tags.entrySet())).toList();
    assertThat(found).as(metric + " " + tags).hasSize(1);
    return found.get(0);
  }

  @Test
  void firstIntervalGivesGaugesSecondGivesUtilizationAndRates() throws Exception {
    snapshot(1000, 9000, 1700000000, 1_000_000, 1000, 0);
    collector.collect();
    assertThat(sink.named("system.cpu.utilization")).isEmpty();
    assertThat(sink.named("system.network.io")).isEmpty();
    assertThat(only("system.cpu.load_average.1m", Map.of()).getValue()).isEqualTo(0.5);
    assertThat(only("system.memory.usage", Map.of("state", "used")).getValue()).isEqualTo(12_000_000.0 * 1024);
    assertThat(only("system.memory.utilization", Map.of()).getValue()).isEqualTo(0.75);
    assertThat(only("system.memory.utilization", Map.of()).getEntityId()).isEqualTo("node-1");
    assertThat(only("system.memory.utilization", Map.of()).getEntityKind()).isEqualTo("host");

    sink.metrics.clear();
    clock.advance(Duration.ofSeconds(10));
    snapshot(1300, 9600, 1700000000, 2_000_000, 3000, 2500);
    collector.collect();
    // 300 user + 600 idle jiffies: one third busy
    assertThat(only("system.cpu.utilization", Map.of()).getValue()).isCloseTo(300.0 / 900, within(1e-9));
    MetricPoint rx = only("system.network.io", Map.of("device", "eth0", "direction", "receive"));
    assertThat(rx.getValue()).isEqualTo(100_000.0);
    assertThat(rx.getUnit()).isEqualTo("By/s");
    assertThat(only("system.network.utilization", Map.of("device", "eth0")).getValue())
        .isCloseTo(100_000.0 / 125_000_000, within(1e-12));
    assertThat(sink.metrics).noneMatch(p -> "lo".equals(p.getTags().get("device")));
    assertThat(only("system.disk.io", Map.of("device", "sda", "direction", "read")).getValue()).isEqualTo(2000.0 * 512 / 10);
    assertThat(only("system.disk.utilization", Map.of("device", "sda")).getValue()).isEqualTo(0.25);
    assertThat(sink.metrics).noneMatch(p -> "loop0".equals(p.getTags().get("device")));
    assertThat(sink.collectors).containsOnly("host");
  }

  @Test
  void a32BitCounterWrapIsCountedAcrossTheWrap() throws Exception {
    snapshot(1000, 9000, 1700000000, 4294967296.0 - 1000, 0, 0);
    collector.collect();
    clock.advance(Duration.ofSeconds(10));
    snapshot(1000, 9000, 1700000000, 1000, 0, 0);
    collector.collect();
    assertThat(only("system.network.io", Map.of("device", "eth0", "direction", "receive")).getValue()).isEqualTo(200.0);
  }

  @Test
  void aRebootStartsTheRatesOverInsteadOfGivingNonsense() throws Exception {
    snapshot(100000, 900000, 1700000000, 50_000_000_000.0, 900000, 5000);
    collector.collect();
    clock.advance(Duration.ofSeconds(10));
    snapshot(10, 90, 1700009999, 5000, 10, 5);
    collector.collect();
    assertThat(sink.named("system.network.io")).isEmpty();
    assertThat(sink.named("system.cpu.utilization")).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    snapshot(20, 180, 1700009999, 6000, 10, 5);
    collector.collect();
    assertThat(only("system.network.io", Map.of("direction", "receive")).getValue()).isEqualTo(100.0);
    assertThat(only("system.cpu.utilization", Map.of()).getValue()).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void missingSourcesAreSkippedNotFatal() throws Exception {
    snapshot(1000, 9000, 1700000000, 0, 0, 0);
    Files.delete(root.resolve("proc/diskstats"));
    collector.collect();
    assertThat(sink.named("system.cpu.load_average.1m")).hasSize(1);
  }

  @Test
  void readsTheRealProcOfThisMachine() {
    HostCollector real = new HostCollector(Path.of("/proc"), Path.of("/sys"), Duration.ofSeconds(10), "this-host",
        new Normalizer("agent:test", "this-host", CardinalityGuard.unlimited()), sink, clock);
    real.collect();
    clock.advance(Duration.ofSeconds(1));
    real.collect();
    assertThat(sink.named("system.memory.utilization")).isNotEmpty();
    assertThat(sink.named("system.cpu.load_average.1m")).isNotEmpty();
  }
}
