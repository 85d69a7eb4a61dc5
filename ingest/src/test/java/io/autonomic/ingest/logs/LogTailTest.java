package io.autonomic.ingest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.LogRecord;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.ingest.normalize.Normalizer;
import io.autonomic.ingest.testing.RecordingSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir
  Path dir;

  private final RecordingSink sink = new RecordingSink();
  private final Normalizer normalizer = new Normalizer("agent:test", "node-1", CardinalityGuard.unlimited());

  private LogTail tail(Path file) {
    return new LogTail(List.of(file), dir.resolve("state"), Duration.ofMillis(100), new LogLineParser(2026),
        normalizer, "node-1", sink, Clock.systemUTC());
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String lines(int from, int to) {
    StringBuilder sb = new StringBuilder();
    IntStream.range(from, to).forEach(i -> sb.append("line ").append(i).append('\n'));
    return sb.toString();
  }

  private List<String> messages() {
    return sink.logs.stream().map(LogRecord::getMessage).toList();
  }

  private static List<String> expected(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
  }

  @Test
  void followsAppendsAndHoldsBackAnUnterminatedLine() throws Exception {
    Path file = dir.resolve("app.log");
    append(file, lines(0, 3) + "line 3 is not finish");
    LogTail tail = tail(file);
    tail.poll();
    assertThat(messages()).isEqualTo(expected(0, 3));
    append(file, "ed\n");
    tail.poll();
    assertThat(messages()).containsExactly("line 0", "line 1", "line 2", "line 3 is not finished");
    LogRecord r = sink.logs.get(0);
    assertThat(r.getEntityId()).isEqualTo("node-1");
    assertThat(r.getSource()).isEqualTo(file.toAbsolutePath().toString());
    assertThat(r.getAttributes()).containsEntry("log.format", "raw");
    assertThat(sink.collectors).containsOnly("logs");
    tail.close();
  }

  @Test
  void survivesRotationByRenameWithoutLosingTheOldFilesTail() throws Exception {
    Path file = dir.resolve("app.log");
    append(file, lines(0, 5));
    LogTail tail = tail(file);
    tail.poll();
    append(file, lines(5, 8) + "last unterminated");
    Files.move(file, dir.resolve("app.log.1"));
    append(file, lines(8, 10));
    tail.poll();
    List<String> want = new java.util.ArrayList<>(expected(0, 8));
    want.add("last unterminated");
    want.addAll(expected(8, 10));
    assertThat(messages()).isEqualTo(want);
    tail.close();
  }

  @Test
  void survivesTruncation() throws Exception {
    Path file = dir.resolve("app.log");
    append(file, lines(0, 5));
    LogTail tail = tail(file);
    tail.poll();
    Files.writeString(file, lines(5, 7)); // copytruncate, then new lines
    tail.poll();
    assertThat(messages()).isEqualTo(expected(0, 7));
    tail.close();
  }

  @Test
  void anAgentRestartResumesWithoutDuplicatesOrLoss() throws Exception {
    Path file = dir.resolve("app.log");
    append(file, lines(0, 5));
    LogTail first = tail(file);
    first.poll();
    first.close();
    append(file, lines(5, 9));
    LogTail second = tail(file);
    second.poll();
    assertThat(messages()).isEqualTo(expected(0, 9));
    second.close();
  }

  @Test
  void aRotationWhileTheAgentIsDownReadsTheRotatedFileFirst() throws Exception {
    Path file = dir.resolve("app.log");
    append(file, lines(0, 5));
    LogTail first = tail(file);
    first.poll();
    first.close();
    append(file, lines(5, 7));
    Files.move(file, dir.resolve("app.log.1"));
    append(file, lines(7, 9));
    LogTail second = tail(file);
    second.poll();
    assertThat(messages()).isEqualTo(expected(0, 9));
    second.close();
  }

  @Test
  void aMissingFileIsWaitedFor() throws Exception {
    Path file = dir.resolve("later.log");
    LogTail tail = tail(file);
    tail.poll();
    assertThat(messages()).isEmpty();
    append(file, lines(0, 2));
    tail.poll();
    assertThat(messages()).isEqualTo(expected(0, 2));
    tail.close();
  }

  @Test
  void structuredLinesAreParsed() throws Exception {
    Path file = dir.resolve("app.log");
    append(file, "{\"level\":\"error\",\"msg\":\"boom\",\"service.name\":\"cart\"}\n");
    LogTail tail = tail(file);
    tail.poll();
    LogRecord r = sink.logs.get(0);
    assertThat(r.getSeverity()).isEqualTo(io.autonomic.avro.LogSeverity.ERROR);
    assertThat(r.getMessage()).isEqualTo("boom");
    assertThat(r.getEntityId()).isEqualTo("cart");
    tail.close();
  }
}
