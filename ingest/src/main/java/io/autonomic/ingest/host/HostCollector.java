package io.autonomic.ingest.host;

import io.autonomic.ingest.agent.PollingCollector;
import io.autonomic.ingest.delivery.TelemetrySink;
import io.autonomic.ingest.normalize.CounterRates;
import io.autonomic.ingest.normalize.Normalizer;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's cpu, memory, disk, filesystem and network utilization and load, read from {@code /proc}
 * and {@code /sys} (no native code), named after the OpenTelemetry system semantic conventions:
 *
 * <ul>
 *   <li>{@code system.cpu.utilization} (1): busy share of all cpus over the interval, from /proc/stat;</li>
 *   <li>{@code system.cpu.load_average.1m/5m/15m} (1), from /proc/loadavg;</li>
 *   <li>{@code system.memory.usage} (By, state=used|free|cached|buffered) and {@code system.memory.utilization}
 *       (1, used share), from /proc/meminfo (used = total - available);</li>
 *   <li>{@code system.disk.io} (By/s, direction=read|write), {@code system.disk.operations} ({operation}/s),
 *       {@code system.disk.utilization} (1, busy share of time), per device, from /proc/diskstats;</li>
 *   <li>{@code system.filesystem.utilization} (1) and {@code system.filesystem.usage} (By, state=used),
 *       per mount point of a block device, from /proc/mounts;</li>
 *   <li>{@code system.network.io} (By/s), {@code system.network.packets}, {@code .errors}, {@code .dropped}
 *       (per second, direction=receive|transmit), per interface except lo, from /proc/net/dev; with
 *       {@code system.network.utilization} (1) where /sys/class/net/IF/speed is known.</li>
 * </ul>
 *
 * Counters become rates through {@link CounterRates}: a 32-bit counter that wraps counts across the
 * wrap; a reboot (new btime in /proc/stat) forgets all previous values, so it never gives a negative
 * or huge rate. The first interval only primes the rates.
 */
public final class HostCollector implements PollingCollector {
  private static final Logger LOG = LoggerFactory.getLogger(HostCollector.class);
  private static final double WRAP_32 = 4294967296.0;
  private static final double WRAP_64 = 18446744073709551616.0;
  private static final Set<String> FILESYSTEM_TYPES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "vfat",
      "f2fs", "reiserfs", "jfs", "ntfs", "overlay");

  private final Path proc;
  private final Path sys;
  private final Duration interval;
  private final String host;
  private final Normalizer normalizer;
  private final TelemetrySink sink;
  private final Clock clock;
  private final CounterRates rates = new CounterRates();
  private long[] previousCpu;
  private String bootTime;
  private final Set<String> warned = new java.util.HashSet<>();

  public HostCollector(Path proc, Path sys, Duration interval, String host, Normalizer normalizer, TelemetrySink sink,
      Clock clock) {
    this.proc = proc;
    this.sys = sys;
    this.interval = interval;
    this.host = host;
    this.normalizer = normalizer;
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "host";
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public synchronized void collect() {
    long now = clock.millis();
    step("cpu", () -> cpu(now));
    step("load", () -> load(now));
    step("memory", () -> memory(now));
    step("disk", () -> disk(now));
    step("filesystem", () -> filesystems(now));
    step("network", () -> network(now));
  }

  private interface Step {
    void run() throws IOException;
  }

  /** One failing source (a missing file in a container) must not stop the others; said once. */
  private void step(String what, Step step) {
    try {
      step.run();
    } catch (IOException | RuntimeException e) {
      if (warned.add(what)) {
        LOG.warn("host collector: cannot read {} metrics: {}", what, e.toString());
      }
    }
  }

  private void emit(String metric, String unit, double value, long time, Map<String, String> attributes) {
    normalizer.canonicalMetric(Map.of(Normalizer.HOST_NAME, host), attributes, metric, unit, value, time)
        .ifPresent(p -> sink.metric(name(), p));
  }

  private void cpu(long now) throws IOException {
    for (String line : Files.readAllLines(proc.resolve("stat"))) {
      if (line.startsWith("btime ")) {
        String btime = line.substring(6).trim();
        if (bootTime != null && !bootTime.equals(btime)) {
          LOG.info("host rebooted (btime {} -> {}): counter rates start over", bootTime, btime);
          rates.clear();
          previousCpu = null;
        }
        bootTime = btime;
      }
    }
    String first = Files.readAllLines(proc.resolve("stat")).get(0);
    if (!first.startsWith("cpu ")) {
      throw new IOException("unexpected first line of /proc/stat: " + first);
    }
    String[] f = first.substring(4).trim().split("\\s+");
    long[] cpu = new long[8];
    for (int i = 0; i < cpu.length && i < f.length; i++) {
      cpu[i] = Long.parseLong(f[i]);
    }
    long[] previous = previousCpu;
    previousCpu = cpu;
    if (previous == null) {
      return;
    }
    long total = 0;
    long idle = (cpu[3] - previous[3]) + (cpu[4] - previous[4]); // idle + iowait
    for (int i = 0; i < cpu.length; i++) {
      total += cpu[i] - previous[i];
    }
    if (total > 0 && idle >= 0 && idle <= total) {
      emit("system.cpu.utilization", "1", (double) (total - idle) / total, now, Map.of());
    }
  }

  private void load(long now) throws IOException {
    String[] f = Files.readString(proc.resolve("loadavg")).trim().split("\\s+");
    emit("system.cpu.load_average.1m", "1", Double.parseDouble(f[0]), now, Map.of());
    emit("system.cpu.load_average.5m", "1", Double.parseDouble(f[1]), now, Map.of());
    emit("system.cpu.load_average.15m", "1", Double.parseDouble(f[2]), now, Map.of());
  }

  private void memory(long now) throws IOException {
    Map<String, Long> kb = new HashMap<>();
    for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String[] v = line.substring(colon + 1).trim().split("\\s+");
        kb.put(line.substring(0, colon), Long.parseLong(v[0]));
      }
    }
    long total = kb.getOrDefault("MemTotal", 0L) * 1024;
    long free = kb.getOrDefault("MemFree", 0L) * 1024;
    long available = kb.containsKey("MemAvailable") ? kb.get("MemAvailable") * 1024 : free;
    long used = total - available;
    emit("system.memory.usage", "By", used, now, Map.of("state", "used"));
    emit("system.memory.usage", "By", free, now, Map.of("state", "free"));
    emit("system.memory.usage", "By", kb.getOrDefault("Cached", 0L) * 1024, now, Map.of("state", "cached"));
    emit("system.memory.usage", "By", kb.getOrDefault("Buffers", 0L) * 1024, now, Map.of("state", "buffered"));
    if (total > 0) {
      emit("system.memory.utilization", "1", (double) used / total, now, Map.of());
    }
  }

  private void disk(long now) throws IOException {
    for (String line : Files.readAllLines(proc.resolve("diskstats"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 14) {
        continue;
      }
      String device = f[2];
      if (device.startsWith("loop") || device.startsWith("ram") || device.startsWith("zram")) {
        continue;
      }
      Map<String, String> read = Map.of("device", device, "direction", "read");
      Map<String, String> write = Map.of("device", device, "direction", "write");
      rate("disk.ops." + device + ".r", Double.parseDouble(f[3]), now).ifPresent(
          r -> emit("system.disk.operations", "{operation}/s", r, now, read));
      rate("disk.bytes." + device + ".r", Double.parseDouble(f[5]) * 512, now).ifPresent(
          r -> emit("system.disk.io", "By/s", r, now, read));
      rate("disk.ops." + device + ".w", Double.parseDouble(f[7]), now).ifPresent(
          r -> emit("system.disk.operations", "{operation}/s", r, now, write));
      rate("disk.bytes." + device + ".w", Double.parseDouble(f[9]) * 512, now).ifPresent(
          r -> emit("system.disk.io", "By/s", r, now, write));
      rate("disk.busy." + device, Double.parseDouble(f[12]), now).ifPresent(
          msPerSecond -> emit("system.disk.utilization", "1", Math.min(1.0, msPerSecond / 1000.0), now,
              Map.of("device", device)));
    }
  }

  private void filesystems(long now) throws IOException {
    Path mounts = proc.resolve("mounts");
    if (!Files.exists(mounts)) {
      return;
    }
    Set<String> seen = new java.util.HashSet<>();
    for (String line : Files.readAllLines(mounts)) {
      String[] f = line.split("\\s+");
      if (f.length < 3 || !FILESYSTEM_TYPES.contains(f[2]) || !seen.add(f[0])) {
        continue;
      }
      String mountpoint = f[1].replace("\\040", " ");
      try {
        FileStore store = Files.getFileStore(Path.of(mountpoint));
        long total = store.getTotalSpace();
        long usable = store.getUsableSpace();
        long used = total - store.getUnallocatedSpace();
        if (total <= 0) {
          continue;
        }
        Map<String, String> attrs = Map.of("device", f[0], "mountpoint", mountpoint, "type", f[2]);
        emit("system.filesystem.usage", "By", used, now, withState(attrs, "used"));
        // the share a non-root user can no longer use, as df shows it
        emit("system.filesystem.utilization", "1", (double) used / (used + usable), now, attrs);
      } catch (IOException | RuntimeException e) {
        // a mount that vanished or is not accessible from here: skip it
      }
    }
  }

  private static Map<String, String> withState(Map<String, String> attrs, String state) {
    Map<String, String> m = new LinkedHashMap<>(attrs);
    m.put("state", state);
    return m;
  }

  private void network(long now) throws IOException {
    List<String> lines = Files.readAllLines(proc.resolve("net/dev"));
    for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String iface = line.substring(0, colon).trim();
      if (iface.equals("lo")) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 16) {
        continue;
      }
      Map<String, String> rx = Map.of("device", iface, "direction", "receive");
      Map<String, String> tx = Map.of("device", iface, "direction", "transmit");
      OptionalDouble rxBytes = rate("net.bytes." + iface + ".rx", Double.parseDouble(f[0]), now);
      OptionalDouble txBytes = rate("net.bytes." + iface + ".tx", Double.parseDouble(f[8]), now);
      rxBytes.ifPresent(r -> emit("system.network.io", "By/s", r, now, rx));
      txBytes.ifPresent(r -> emit("system.network.io", "By/s", r, now, tx));
      rate("net.packets." + iface + ".rx", Double.parseDouble(f[1]), now).ifPresent(
          r -> emit("system.network.packets", "{packet}/s", r, now, rx));
      rate("net.packets." + iface + ".tx", Double.parseDouble(f[9]), now).ifPresent(
          r -> emit("system.network.packets", "{packet}/s", r, now, tx));
      rate("net.errors." + iface + ".rx", Double.parseDouble(f[2]), now).ifPresent(
          r -> emit("system.network.errors", "{error}/s", r, now, rx));
      rate("net.errors." + iface + ".tx", Double.parseDouble(f[10]), now).ifPresent(
          r -> emit("system.network.errors", "{error}/s", r, now, tx));
      rate("net.dropped." + iface + ".rx", Double.parseDouble(f[3]), now).ifPresent(
          r -> emit("system.network.dropped", "{packet}/s", r, now, rx));
      rate("net.dropped." + iface + ".tx", Double.parseDouble(f[11]), now).ifPresent(
          r -> emit("system.network.dropped", "{packet}/s", r, now, tx));
      long speedMbps = speed(iface);
      if (speedMbps > 0 && rxBytes.isPresent() && txBytes.isPresent()) {
        double capacity = speedMbps * 1_000_000.0 / 8;
        emit("system.network.utilization", "1", Math.max(rxBytes.getAsDouble(), txBytes.getAsDouble()) / capacity,
            now, Map.of("device", iface));
      }
    }
  }

  private long speed(String iface) {
    try {
      return Long.parseLong(Files.readString(sys.resolve("class/net").resolve(iface).resolve("speed")).trim());
    } catch (IOException | RuntimeException e) {
      return -1; // virtual interfaces have no speed
    }
  }

  /** Kernel counters are unsigned longs: 32-bit ones (older or 32-bit kernels) wrap at 2^32. */
  private OptionalDouble rate(String key, double value, long now) {
    return rates.rate(key, value, now, 0, value < WRAP_32 ? WRAP_32 : WRAP_64);
  }
}
