package io.autonomic.flinkjobs.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalTest {

  @TempDir Path tmp;

  private static String ts(int minute) {
    return String.format(Locale.ROOT, "2024-01-01 %02d:%02d:00", minute / 60, minute % 60);
  }

  @Test
  void writesOneRowPerInputRowInOrderIncludingEmptyValuesAndRepeatedTimestamps() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("cat"));
    List<String> lines = new ArrayList<>();
    lines.add("timestamp,value");
    for (int i = 0; i < 600; i++) {
      lines.add(ts(i) + "," + (i == 100 ? "" : Integer.toString(10 + (i % 7))));
      if (i == 200) {
        lines.add(ts(i) + ",12"); // repeated timestamp
      }
    }
    lines.set(500, ts(498) + ",90"); // a spike
    Files.write(data.resolve("cat/s.csv"), lines);
    Files.writeString(tmp.resolve("labels.json"),
        "{\"cat/s.csv\": [[\"" + ts(480) + ".000000\", \"" + ts(520) + ".000000\"]]}");

    EvalReport r = Eval.run(data, tmp.resolve("labels.json"), tmp.resolve("out"), "combined");

    List<String> out = Files.readAllLines(tmp.resolve("out/cat/s.csv"));
    assertThat(out).hasSize(lines.size());
    assertThat(out.get(0)).isEqualTo("timestamp,value,anomaly_score");
    for (int i = 1; i < lines.size(); i++) {
      assertThat(out.get(i)).startsWith(lines.get(i) + ",");
    }
    assertThat(out.get(101)).isEqualTo(ts(100) + ",,0.0");
    assertThat(r.rows()).isEqualTo(601);
    assertThat(r.unusableRows()).isEqualTo(1);
    assertThat(r.scoredFiles()).isEqualTo(1);
    assertThat(r.profiles()).hasSize(3);
    assertThat(r.score("standard")).isGreaterThan(50.0);
    assertThat(r.format()).contains("NAB standard", "reward_low_FP_rate", "reward_low_FN_rate",
        "point  precision", "event  precision");
  }

  @Test
  void filesWithoutLabelsAreWrittenButReportedAsNotScored() throws Exception {
    Path data = tmp.resolve("d");
    Files.createDirectories(data);
    List<String> lines = new ArrayList<>();
    lines.add("timestamp,value");
    for (int i = 0; i < 50; i++) {
      lines.add(ts(i) + "," + i);
    }
    Files.write(data.resolve("x.csv"), lines);
    Files.writeString(tmp.resolve("l.json"), "{}");

    EvalReport r = Eval.run(data, tmp.resolve("l.json"), tmp.resolve("o"), "level");

    assertThat(Files.readAllLines(tmp.resolve("o/x.csv"))).hasSize(51);
    assertThat(r.unlabeledFiles()).containsExactly("x.csv");
    assertThat(r.format()).contains("not scored (no labels): x.csv");
  }
}
