package io.autonomic.flinkjobs.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.flinkjobs.eval.Eval;
import io.autonomic.flinkjobs.eval.EvalReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class StreamingBacktestITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

  @TempDir
  Path tmp;

  @Test
  void scoresTheCorpusThroughTheDetectorPipelineLikeTheInProcessBacktest() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("cat"));
    List<String> lines = new ArrayList<>();
    lines.add("timestamp,value");
    for (int i = 0; i < 600; i++) {
      lines.add(ts(i) + "," + (i == 100 ? "" : Integer.toString(10 + (i % 7))));
    }
    lines.set(500, ts(499) + ",90"); // a spike
    Files.write(data.resolve("cat/s.csv"), lines);
    List<String> later = new ArrayList<>();
    later.add("timestamp,value");
    for (int i = 300; i < 900; i++) { // a second file that starts later: not late for the shared watermark
      later.add(ts(i) + "," + (20 + (i % 5)));
    }
    Files.write(data.resolve("cat/t.csv"), later);
    Files.writeString(tmp.resolve("labels.json"), "{\"cat/s.csv\": [[\"" + ts(480) + ".000000\", \"" + ts(520)
        + ".000000\"]], \"cat/t.csv\": []}");

    EvalReport streamed = StreamingBacktest.run(StreamExecutionEnvironment.getExecutionEnvironment(), data,
        tmp.resolve("labels.json"), tmp.resolve("out"), "combined");
    EvalReport inProcess = Eval.run(data, tmp.resolve("labels.json"), tmp.resolve("ref"), "combined");

    List<String> out = Files.readAllLines(tmp.resolve("out/cat/s.csv"));
    assertThat(out).hasSize(lines.size());
    assertThat(out.get(101)).isEqualTo(ts(100) + ",,0.0");
    assertThat(Files.readAllLines(tmp.resolve("out/cat/t.csv"))).hasSize(later.size());
    assertThat(streamed.scoredFiles()).isEqualTo(2);
    assertThat(streamed.score("standard")).isGreaterThan(50.0)
        .isCloseTo(inProcess.score("standard"), within(5.0));
  }

  private static String ts(int minute) {
    return String.format(Locale.ROOT, "2024-01-01 %02d:%02d:00", minute / 60, minute % 60);
  }
}
