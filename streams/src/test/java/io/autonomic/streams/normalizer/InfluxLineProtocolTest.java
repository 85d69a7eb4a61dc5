package io.autonomic.streams.normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.streams.normalizer.formats.InfluxLineProtocol;
import io.autonomic.streams.normalizer.formats.InfluxLineProtocol.Line;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfluxLineProtocolTest {
  static List<Line> parse(String text) throws MalformedTelemetryException {
    return InfluxLineProtocol.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsEscapesTypesAndTimestamps() throws Exception {
    List<Line> lines = parse("# a comment\n"
        + "disk\\ io,path=/var\\,log,dev\\=x=sda1 reads=10i,free=2.5e3,ok=t,full=FALSE,big=18446744073709551615u,"
        + "msg=\"say \\\"hi\\\", ok\" 1700000000000000000\r\n\n"
        + "up value=1\n");
    assertThat(lines).hasSize(2);
    Line disk = lines.get(0);
    assertThat(disk.measurement()).isEqualTo("disk io");
    assertThat(disk.tags()).containsEntry("path", "/var,log").containsEntry("dev=x", "sda1");
    assertThat(disk.fields()).containsEntry("reads", 10.0).containsEntry("free", 2500.0).containsEntry("ok", 1.0)
        .containsEntry("full", 0.0).containsEntry("big", 1.8446744073709552E19);
    assertThat(disk.stringFields()).containsEntry("msg", "say \"hi\", ok");
    assertThat(disk.timestampNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(lines.get(1).timestampNanos()).isNull();
  }

  @Test
  void namesTheLineColumnAndProblem() {
    assertThatThrownBy(() -> parse("cpu usage=\"open"))
        .isInstanceOf(MalformedTelemetryException.class)
        .hasMessage("invalid line protocol: line 1 column 11: unterminated string in field 'usage' in 'cpu usage=\"open'");
    assertThatThrownBy(() -> parse("cpu,host=a"))
        .hasMessageContaining("line 1 column 11: missing fields after measurement 'cpu'");
    assertThatThrownBy(() -> parse("cpu value=1 yesterday"))
        .hasMessageContaining("timestamp 'yesterday' is not an integer (nanoseconds)");
    assertThatThrownBy(() -> parse("cpu,host value=1")).hasMessageContaining("tag 'host' has no '='");
    assertThatThrownBy(() -> parse("\n\n")).hasMessage("invalid line protocol: no lines in the record");
    assertThatThrownBy(() -> InfluxLineProtocol.parse(new byte[] {(byte) 0xff, (byte) 0xfe}))
        .hasMessage("invalid line protocol: not UTF-8 text");
  }
}
