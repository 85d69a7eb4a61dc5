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
      assertThat(roundTrip(MetricPointSerializer.INSTANCE, p)).isEqualTo(p);
    }
    MetricPoint noTags = MetricPointSerializer.INSTANCE.copy(BARE);
    noTags.setTags(null);
    assertThat(roundTrip(MetricPointSerializer.INSTANCE, noTags).getTags()).isNull();
  }

  @Test
  void copiesAreIndependentOfTheOriginalsTags() {
    MetricPoint copy = MetricPointSerializer.INSTANCE.copy(FULL);
    assertThat(copy).isEqualTo(FULL).isNotSameAs(FULL);
    copy.getTags().put("zone", "c");
    assertThat(FULL.getTags()).containsEntry("zone", "b");
  }

  @Test
  void decodedRoundTripsPointsAndDeadLetters() throws IOException {
    assertThat(roundTrip(DecodedSerializer.INSTANCE, Decoded.point(FULL)).point).isEqualTo(FULL);
    DeadLetter dl = DeadLetter.newBuilder().setReason("garbage").setSourceTopic("telemetry.metrics")
        .setSourcePartition(1).setSourceOffset(7L).setProcessor("p").setFailedAt(Instant.ofEpochMilli(5))
        .setHeaders(Map.of()).build();
    Decoded back = roundTrip(DecodedSerializer.INSTANCE, Decoded.deadLetter(dl));
    assertThat(back.point).isNull();
    assertThat(back.deadLetter).isEqualTo(dl);
    Decoded decoded = Decoded.point(FULL);
    assertThat(DecodedSerializer.INSTANCE.copy(decoded)).isSameAs(decoded); // immutable: the chained hand-off shares it
  }

  @Test
  void flinkPicksTheseSerializersForTheSourceAndThePointStream() {
    assertThat(TypeInformation.of(Decoded.class).createSerializer(null)).isSameAs(DecodedSerializer.INSTANCE);
    assertThat(new SplitDecoded().getProducedType().createSerializer(null))
        .isSameAs(MetricPointSerializer.INSTANCE);
  }

  @Test
  void snapshotsRestoreTheSameSerializer() throws IOException {
    TypeSerializerSnapshot<MetricPoint> snapshot = MetricPointSerializer.INSTANCE.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    TypeSerializerSnapshot<MetricPoint> read = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(read.restoreSerializer()).isSameAs(MetricPointSerializer.INSTANCE);
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
