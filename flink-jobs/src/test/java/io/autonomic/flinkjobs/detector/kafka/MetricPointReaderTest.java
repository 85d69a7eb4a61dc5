package io.autonomic.flinkjobs.detector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.avro.MetricPoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class MetricPointReaderTest {
  private static final Instant AT = Instant.parse("2026-11-01T00:00:01.234Z");

  @Test
  void readsWhatAvrosWriterWroteFieldForField() throws IOException {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("service", "checkout");
    tags.put("région", "eu-west-1"); // non-ASCII key
    MetricPoint full = MetricPoint.newBuilder().setEntityId("pod-7").setMetric("http.server.duration.p99")
        .setValue(-12.5e-3).setUnit("ms").setEventTime(AT).setEntityKind("pod").setTags(tags)
        .setSource("agent:host-1").build();
    MetricPoint bare = MetricPoint.newBuilder().setEntityId("h").setMetric("cpu").setValue(Double.MAX_VALUE)
        .setEventTime(Instant.ofEpochMilli(-1)).setTags(Map.of()).build();
    MetricPointReader reader = new MetricPointReader();

    for (MetricPoint p : new MetricPoint[] {full, bare, full}) {
      byte[] framed = withPrefix(encode(p, false), 5);
      assertThat(reader.read(framed, 5, framed.length - 5)).isEqualTo(p);
    }
  }

  @Test
  void acceptsOnlyWriterSchemasWithTheSameLayout() {
    String own = MetricPoint.getClassSchema().toString();
    assertThat(MetricPointReader.readsDataWrittenWith(MetricPoint.getClassSchema())).isTrue();
    // what a registry may hand back: no avro.java.string properties, no docs
    String plain = own.replace(",\"avro.java.string\":\"String\"", "").replaceAll("\"doc\":\"[^\"]*\",", "");
    assertThat(plain).doesNotContain("avro.java.string");
    assertThat(MetricPointReader.readsDataWrittenWith(new Schema.Parser().parse(plain))).isTrue();
    // same bytes, other meaning: micros would be read as millis
    assertThat(MetricPointReader.readsDataWrittenWith(new Schema.Parser().parse(
        own.replace("timestamp-millis", "timestamp-micros")))).isFalse();
    // another layout: a field added at the end (a newer version) goes through the resolving reader
    assertThat(MetricPointReader.readsDataWrittenWith(new Schema.Parser().parse(own.substring(0,
        own.lastIndexOf(']')) + ",{\"name\":\"extra\",\"type\":\"int\",\"default\":0}]}"))).isFalse();
  }

  @Test
  void readsMapsWrittenInSizedBlocks() throws IOException {
    MetricPoint p = MetricPoint.newBuilder().setEntityId("h").setMetric("cpu").setValue(1).setEventTime(AT)
        .setTags(Map.of("a", "1", "b", "2", "c", "3")).build();
    byte[] blocked = encode(p, true); // the blocking encoder writes negative counts followed by byte sizes
    assertThat(new MetricPointReader().read(blocked, 0, blocked.length)).isEqualTo(p);
  }

  @Test
  void repeatedStringsAndTagsAreTheSameInstances() throws IOException {
    byte[] bytes = encode(MetricPoint.newBuilder().setEntityId("host-1").setMetric("cpu").setValue(1)
        .setEventTime(AT).setTags(Map.of("service", "checkout")).build(), false);
    MetricPointReader reader = new MetricPointReader();
    MetricPoint a = reader.read(bytes, 0, bytes.length);
    MetricPoint b = reader.read(bytes.clone(), 0, bytes.length);
    assertThat(b.getEntityId()).isSameAs(a.getEntityId());
    assertThat(b.getMetric()).isSameAs(a.getMetric());
    assertThat(b.getTags()).isSameAs(a.getTags()).containsExactly(Map.entry("service", "checkout"));
    assertThatThrownBy(() -> b.getTags().put("service", "other")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void truncatedOrCorruptBytesSayWhatIsWrongAndWhere() throws IOException {
    byte[] bytes = encode(MetricPoint.newBuilder().setEntityId("host-1").setMetric("cpu").setValue(1)
        .setEventTime(AT).setUnit("%").build(), false);
    MetricPointReader reader = new MetricPointReader();

    assertThatThrownBy(() -> reader.read(bytes, 0, 11))
        .isInstanceOf(MetricPointReader.MalformedPointException.class)
        .hasMessageContaining("value needs 8 bytes but 0 remain");
    assertThatThrownBy(() -> reader.read(bytes, 0, 9))
        .hasMessageContaining("metric claims 3 bytes of text but 1 remain");
    byte[] badUnion = bytes.clone();
    badUnion[7 + 4 + 8] = 4; // after entityId (1 + 6 bytes), metric (1 + 3), value (8): the unit's union branch 2
    assertThatThrownBy(() -> reader.read(badUnion, 0, badUnion.length))
        .hasMessageContaining("unit has union branch 2").hasMessageContaining("(at byte 20)");
  }

  private static byte[] encode(MetricPoint p, boolean blocking) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = blocking
        ? EncoderFactory.get().blockingBinaryEncoder(out, null)
        : EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(MetricPoint.class).write(p, enc);
    enc.flush();
    return out.toByteArray();
  }

  private static byte[] withPrefix(byte[] body, int junk) {
    byte[] framed = new byte[junk + body.length];
    Arrays.fill(framed, 0, junk, (byte) 0x7f);
    System.arraycopy(body, 0, framed, junk, body.length);
    return framed;
  }
}
