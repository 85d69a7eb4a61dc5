package io.autonomic.ingest.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {
  @TempDir
  Path dir;

  private final Map<String, Long> dropped = new HashMap<>();

  private DiskSpool open(long maxBytes, long segmentBytes) {
    return new DiskSpool(dir, maxBytes, segmentBytes, d -> d.forEach((k, v) -> dropped.merge(k, v, Long::sum)));
  }

  private static SpoolRecord rec(long seq) {
    return new SpoolRecord(seq, "telemetry.metrics", "host", ("e" + seq).getBytes(StandardCharsets.UTF_8),
        ("value-" + seq + "-".repeat(100)).getBytes(StandardCharsets.UTF_8));
  }

  private static List<Long> drain(DiskSpool spool) {
    List<Long> seqs = new ArrayList<>();
    for (SpoolRecord r = spool.next(); r != null; r = spool.next()) {
      seqs.add(r.seq());
    }
    return seqs;
  }

  @Test
  void recordsComeBackInOrderWithTheirBytes() {
    DiskSpool spool = open(1 << 20, 1 << 12);
    for (long i = 0; i < 100; i++) {
      spool.append(rec(i));
    }
    SpoolRecord first = spool.next();
    assertThat(first.seq()).isZero();
    assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("e0");
    assertThat(first.topic()).isEqualTo("telemetry.metrics");
    assertThat(first.collector()).isEqualTo("host");
    assertThat(drain(spool)).hasSize(99).isSorted();
    assertThat(spool.hasUnread()).isFalse();
    assertThat(spool.segmentFiles().size()).isGreaterThan(1);
  }

  @Test
  void readingCanInterleaveWithAppending() {
    DiskSpool spool = open(1 << 20, 1 << 12);
    List<Long> read = new ArrayList<>();
    for (long i = 0; i < 200; i++) {
      spool.append(rec(i));
      if (i % 3 == 0) {
        read.addAll(drain(spool));
      }
    }
    read.addAll(drain(spool));
    assertThat(read).hasSize(200).isSorted();
  }

  @Test
  void acknowledgedSegmentsAreDeletedAndARestartSkipsAcknowledgedRecords() {
    DiskSpool spool = open(1 << 20, 1 << 12);
    for (long i = 0; i < 100; i++) {
      spool.append(rec(i));
    }
    for (int i = 0; i < 60; i++) {
      spool.next();
    }
    int segmentsBefore = spool.segmentFiles().size();
    spool.acked(59);
    assertThat(spool.segmentFiles().size()).isLessThan(segmentsBefore);
    spool.close();

    DiskSpool reopened = open(1 << 20, 1 << 12);
    assertThat(reopened.unreadRecords()).isEqualTo(40);
    assertThat(reopened.maxSeq()).isEqualTo(99);
    assertThat(drain(reopened)).first().isEqualTo(60L);
  }

  @Test
  void aTornTailAfterACrashIsCutOff() throws Exception {
    DiskSpool spool = open(1 << 20, 1 << 20);
    for (long i = 0; i < 10; i++) {
      spool.append(rec(i));
    }
    spool.close();
    Path segment = spool.segmentFiles().get(0);
    Files.write(segment, new byte[] {0, 0, 0, 50, 1, 2, 3}, StandardOpenOption.APPEND);
    DiskSpool reopened = open(1 << 20, 1 << 20);
    assertThat(drain(reopened)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void aFullSpoolDropsTheOldestAndReportsThemByCollector() {
    DiskSpool spool = open(8 * 1024, 2 * 1024);
    int n = 200;
    for (long i = 0; i < n; i++) {
      spool.append(rec(i));
    }
    List<Long> left = drain(spool);
    assertThat(spool.bytes()).isLessThanOrEqualTo(8 * 1024);
    assertThat(dropped.get("host")).isEqualTo((long) n - left.size());
    assertThat(left).isSorted().last().isEqualTo(199L);
    assertThat(left.get(0)).isEqualTo(dropped.get("host"));
  }

  @Test
  void olderRecordsWrittenAtShutdownAreReadFirst() {
    DiskSpool spool = open(1 << 20, 1 << 12);
    for (long i = 100; i < 110; i++) {
      spool.append(rec(i));
    }
    spool.writeOlder(List.of(rec(90), rec(91), rec(95), rec(96)));
    spool.close();
    assertThat(drain(open(1 << 20, 1 << 12))).containsExactly(90L, 91L, 95L, 96L, 100L, 101L, 102L, 103L, 104L,
        105L, 106L, 107L, 108L, 109L);
  }
}
