package io.autonomic.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.ingest.testing.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReplayTest {
  @TempDir
  Path dir;

  private final RecordingSink sink = new RecordingSink();
  private final List<Long> sleeps = new ArrayList<>();
  private final CsvReplay replay = new CsvReplay(sink, sleeps::add);

  private Path nab() throws Exception {
    Path file = dir.resolve("ec2_cpu_utilization_test.csv");
    Files.writeString(file, "timestamp,value\n2014-02-14 14:27:00,51.846\n2014-02-14 14:32:00,51.53\n"
        + "2014-02-14 14:37:00,52.2\n");
    return file;
  }

  @Test
  void publishesTheSeriesWithItsOwnEventTimes() throws Exception {
    long n = replay.replay(nab(), new CsvReplay.Settings("ec2-1", "cpu.utilization", 0, null));
    assertThat(n).isEqualTo(3);
    assertThat(sink.metrics).extracting(MetricPoint::getValue).containsExactly(51.846, 51.53, 52.2);
    MetricPoint first = sink.metrics.get(0);
    assertThat(first.getEntityId()).isEqualTo("ec2-1");
    assertThat(first.getMetric()).isEqualTo("cpu.utilization");
    assertThat(first.getEventTime()).isEqualTo(Instant.parse("2014-02-14T14:27:00Z"));
    assertThat(sink.collectors).containsOnly("replay");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void timeShiftMovesTheFirstPointToTheGivenInstantKeepingTheSpacing() throws Exception {
    Instant now = Instant.parse("2026-11-26T05:00:00Z");
    replay.replay(nab(), new CsvReplay.Settings("ec2-1", "cpu", 0, now));
    assertThat(sink.metrics.get(0).getEventTime()).isEqualTo(now);
    assertThat(sink.metrics.get(2).getEventTime()).isEqualTo(now.plusSeconds(600));
  }

  @Test
  void aSpeedPacesThePoints() throws Exception {
    replay.replay(nab(), new CsvReplay.Settings("ec2-1", "cpu", 60, null));
    // 5 minutes apart at 60x: about 5 s between points
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps).allSatisfy(ms -> assertThat(ms).isBetween(4_000L, 10_001L));
    assertThat(CsvReplay.parseSpeed("60x")).isEqualTo(60.0);
    assertThat(CsvReplay.parseSpeed("1.5")).isEqualTo(1.5);
  }

  @Test
  void aMalformedLineNamesItsLine() throws Exception {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, "timestamp,value\n2014-02-14 14:27:00,1\nyesterday,2\n");
    assertThatThrownBy(() -> replay.replay(file, new CsvReplay.Settings("e", "m", 0, null)))
        .isInstanceOf(MalformedTelemetryException.class).hasMessageEndingWith(":3: cannot read timestamp,value from 'yesterday,2'");
  }

  @Test
  void replaysARealNabFile() throws Exception {
    Path nab = Path.of("../../shared/data/nab/data/realKnownCause/ec2_request_latency_system_failure.csv");
    if (!Files.exists(nab)) {
      nab = Path.of("/work/shared/data/nab/data/realKnownCause/ec2_request_latency_system_failure.csv");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(nab), "NAB corpus not present");
    long n = replay.replay(nab, new CsvReplay.Settings("ec2", "request.latency", 0, null));
    assertThat(n).isEqualTo(Files.readAllLines(nab).size() - 1);
  }
}
