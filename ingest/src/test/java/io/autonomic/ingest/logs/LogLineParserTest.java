package io.autonomic.ingest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.LogSeverity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogLineParserTest {
  private final LogLineParser parser = new LogLineParser(2026);

  private static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void jsonLogs() {
    LogLineParser.Parsed p = parser.parse("{\"@timestamp\":\"2026-11-26T04:05:36.123Z\",\"level\":\"ERROR\","
        + "\"message\":\"db down\",\"logger\":\"app.Db\",\"ctx\":{\"user\":\"42\"},\"tags\":[1,2]}");
    assertThat(p.format()).isEqualTo("json");
    assertThat(p.timeMillis()).isEqualTo(millis("2026-11-26T04:05:36.123Z"));
    assertThat(p.severity()).isEqualTo(LogSeverity.ERROR);
    assertThat(p.message()).isEqualTo("db down");
    assertThat(p.attributes()).containsEntry("logger", "app.Db").containsEntry("ctx.user", "42")
        .containsEntry("tags", "[1,2]").doesNotContainKeys("level", "message", "@timestamp");
  }

  @Test
  void bunyanStyleJsonWithNumericLevelAndEpochTime() {
    LogLineParser.Parsed p = parser.parse("{\"ts\":1764129936.5,\"severity\":\"50\",\"msg\":\"boom\"}");
    assertThat(p.timeMillis()).isEqualTo(1764129936500L);
    assertThat(p.severity()).isEqualTo(LogSeverity.ERROR);
    assertThat(p.message()).isEqualTo("boom");
  }

  @Test
  void logfmt() {
    LogLineParser.Parsed p = parser.parse(
        "time=2026-11-26T04:05:36Z level=warn msg=\"slow query \\\"users\\\"\" duration=1.5s component=db");
    assertThat(p.format()).isEqualTo("logfmt");
    assertThat(p.timeMillis()).isEqualTo(millis("2026-11-26T04:05:36Z"));
    assertThat(p.severity()).isEqualTo(LogSeverity.WARN);
    assertThat(p.message()).isEqualTo("slow query \"users\"");
    assertThat(p.attributes()).containsEntry("duration", "1.5s").containsEntry("component", "db");
  }

  @Test
  void syslogRfc5424() {
    LogLineParser.Parsed p = parser.parse(
        "<165>1 2026-11-26T04:05:36.000Z web-1 nginx 4242 ID47 [exampleSDID@32473 iut=\"3\"] upstream timed out");
    assertThat(p.format()).isEqualTo("syslog");
    assertThat(p.severity()).isEqualTo(LogSeverity.INFO); // 165 % 8 = 5, notice
    assertThat(p.message()).isEqualTo("upstream timed out");
    assertThat(p.attributes()).containsEntry("host.name", "web-1").containsEntry("syslog.app", "nginx")
        .containsEntry("syslog.facility", "20");
    assertThat(p.timeMillis()).isEqualTo(millis("2026-11-26T04:05:36Z"));
  }

  @Test
  void syslogRfc3164WithAndWithoutPri() {
    LogLineParser.Parsed p = parser.parse("<11>Nov 26 04:05:36 db-1 postgres[812]: FATAL: too many connections");
    assertThat(p.severity()).isEqualTo(LogSeverity.ERROR);
    assertThat(p.message()).isEqualTo("FATAL: too many connections");
    assertThat(p.attributes()).containsEntry("syslog.procid", "812").containsEntry("host.name", "db-1");
    assertThat(p.timeMillis()).isEqualTo(millis("2026-11-26T04:05:36Z"));

    LogLineParser.Parsed file = parser.parse("Nov  6 14:00:01 node-3 CRON[1234]: (root) CMD (run-parts)");
    assertThat(file.format()).isEqualTo("syslog");
    assertThat(file.attributes()).containsEntry("syslog.app", "CRON");
    assertThat(file.timeMillis()).isEqualTo(millis("2026-11-06T14:00:01Z"));
  }

  @Test
  void timestampLevelMessageLines() {
    LogLineParser.Parsed p = parser.parse("2026-11-26 04:05:36,789 WARN [main] c.e.App - disk almost full");
    assertThat(p.format()).isEqualTo("plain");
    assertThat(p.severity()).isEqualTo(LogSeverity.WARN);
    assertThat(p.timeMillis()).isEqualTo(millis("2026-11-26T04:05:36.789Z"));
    assertThat(p.message()).isEqualTo("[main] c.e.App - disk almost full");
  }

  @Test
  void unparseableLinesAreKeptWholeAsRawMessages() {
    for (String line : new String[] {"just some words", "{not json", "<999>garbage", "key=value only", "   "}) {
      LogLineParser.Parsed p = parser.parse(line);
      assertThat(p.format()).as(line).isEqualTo("raw");
      assertThat(p.message()).isEqualTo(line);
      assertThat(p.timeMillis()).isNull();
      assertThat(p.severity()).isEqualTo(LogSeverity.UNSPECIFIED);
    }
  }
}
