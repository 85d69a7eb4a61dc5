package io.autonomic.flinkjobs.detector.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.kafka.Decoded;
import io.autonomic.flinkjobs.detector.kafka.DecodedSerializer;
import io.autonomic.flinkjobs.detector.kafka.SplitDecoded;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class MetricPointSerializerTest {
  private static final MetricPoint FULL = MetricPoint.newBuilder().setEntityId("pod-7").setMetric("latency.p99")
      .setValue(3.25).setUnit("ms").setEventTime(Instant.parse("2026-11-01T00:00:01.234Z")).setEntityKind("pod")
      .setTags(new HashMap<>(Map.of("service", "checkout", "zone", "b"))).setSource("agent:host-1").build();
  private static final MetricPoint BARE = MetricPoint.newBuilder().setEntityId("h").setMetric("cpu").setValue(-0.0)
      .setEventTime(Instant.ofEpochMilli(0)).setTags(Map.of()).build();

  @Test
  void roundTripsEveryFieldIncludingNulls() throws IOException {
    for (MetricPoint p : new MetricPoint[] {FULL, BARE}) {
      assertThat(roundTrip(new MetricPointSerializer(), p)).isEqualTo(p);
    }
    MetricPoint noTags = new MetricPointSerializer().copy(BARE);
    noTags.setTags(null);
    assertThat(roundTrip(new MetricPointSerializer(), noTags).getTags()).isNull();
  }

  @Test
  void writesNonAsciiTextAsUtf8AndInternsRepeatedStrings() throws IOException {
    MetricPointSerializer s = new MetricPointSerializer();
    MetricPoint p = MetricPointSerializer.TYPE.createSerializer(null).copy(FULL);
    p.setEntityId("nœud-7 ☃");
    DataOutputSerializer out = new DataOutputSerializer(64);
    s.serialize(p, out);
    s.serialize(p, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    MetricPoint a = s.deserialize(in);
    MetricPoint b = s.deserialize(in);
    assertThat(a).isEqualTo(p);
    assertThat(b.getEntityId()).isEqualTo("nœud-7 ☃").isSameAs(a.getEntityId());
    assertThat(b.getMetric()).isSameAs(a.getMetric());
  }

  @Test
  void copiesAreIndependentOfTheOriginalsTags() {
    MetricPoint copy = new MetricPointSerializer().copy(FULL);
    assertThat(copy).isEqualTo(FULL).isNotSameAs(FULL);
    copy.getTags().put("zone", "c");
    assertThat(FULL.getTags()).containsEntry("zone", "b");
  }

  @Test
  void decodedRoundTripsPointsAndDeadLetters() throws IOException {
    assertThat(roundTrip(new DecodedSerializer(), Decoded.point(FULL)).point).isEqualTo(FULL);
    DeadLetter dl = DeadLetter.newBuilder().setReason("garbage").setSourceTopic("telemetry.metrics")
        .setSourcePartition(1).setSourceOffset(7L).setProcessor("p").setFailedAt(Instant.ofEpochMilli(5))
        .setHeaders(Map.of()).build();
    Decoded back = roundTrip(new DecodedSerializer(), Decoded.deadLetter(dl));
    assertThat(back.point).isNull();
    assertThat(back.deadLetter).isEqualTo(dl);
    Decoded decoded = Decoded.point(FULL);
    assertThat(new DecodedSerializer().copy(decoded)).isSameAs(decoded); // immutable: the chained hand-off shares it
  }

  @Test
  void flinkPicksTheseSerializersForTheSourceAndThePointStream() {
    assertThat(TypeInformation.of(Decoded.class).createSerializer(null)).isInstanceOf(DecodedSerializer.class);
    TypeInformation<MetricPoint> points = new SplitDecoded().getProducedType();
    assertThat(points.createSerializer(null)).isInstanceOf(MetricPointSerializer.class)
        .isNotSameAs(points.createSerializer(null)); // stateful (its interning cache): one per user
  }

  @Test
  void snapshotsRestoreTheSameSerializer() throws IOException {
    TypeSerializerSnapshot<MetricPoint> snapshot = new MetricPointSerializer().snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    TypeSerializerSnapshot<MetricPoint> read = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(read.restoreSerializer()).isEqualTo(new MetricPointSerializer());
    assertThat(read.resolveSchemaCompatibility(snapshot).isCompatibleAsIs()).isTrue();
  }

  private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    T back = serializer.deserialize(in);
    assertThat(in.available()).isZero();
    return back;
  }
}
