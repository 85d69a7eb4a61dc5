package io.autonomic.flinkjobs.detector.types;

import io.autonomic.avro.MetricPoint;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer for {@link MetricPoint} between operators: the fields in order, strings in Flink's own
 * {@link StringValue} format, tags as a count and pairs.
 *
 * <p>Written by hand because every point crosses the network hand-off from the source to the keyed windows: Flink's
 * Avro serializer for the generated class re-encodes it through a resolving Avro writer and reader and deep-copies
 * it with {@code GenericData.deepCopy} between chained operators, which cost more than the windows themselves
 * (JFR, docs/benchmarks.md). The format is versioned by {@link Snapshot}; points are never kept in keyed state.
 */
public final class MetricPointSerializer extends TypeSerializerSingleton<MetricPoint> {
  private static final long serialVersionUID = 1L;
  public static final MetricPointSerializer INSTANCE = new MetricPointSerializer();
  /** The point stream's type: operators that produce points declare it ({@code returns} or ResultTypeQueryable). */
  public static final SerializerTypeInfo<MetricPoint> TYPE = new SerializerTypeInfo<>(MetricPoint.class, INSTANCE);

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public MetricPoint createInstance() {
    return new MetricPoint();
  }

  /** Strings and the Instant are immutable and shared; the tags map is copied. */
  @Override
  public MetricPoint copy(MetricPoint from) {
    MetricPoint p = new MetricPoint();
    p.setEntityId(from.getEntityId());
    p.setMetric(from.getMetric());
    p.setValue(from.getValue());
    p.setUnit(from.getUnit());
    p.setEventTime(from.getEventTime());
    p.setEntityKind(from.getEntityKind());
    p.setTags(from.getTags() == null ? null : new HashMap<>(from.getTags()));
    p.setSource(from.getSource());
    return p;
  }

  @Override
  public MetricPoint copy(MetricPoint from, MetricPoint reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(MetricPoint p, DataOutputView out) throws IOException {
    StringValue.writeString(p.getEntityId(), out);
    StringValue.writeString(p.getMetric(), out);
    out.writeDouble(p.getValue());
    StringValue.writeString(p.getUnit(), out);
    out.writeLong(p.getEventTime().toEpochMilli());
    StringValue.writeString(p.getEntityKind(), out);
    StringMaps.write(p.getTags(), out);
    StringValue.writeString(p.getSource(), out);
  }

  @Override
  public MetricPoint deserialize(DataInputView in) throws IOException {
    MetricPoint p = new MetricPoint();
    p.setEntityId(StringValue.readString(in));
    p.setMetric(StringValue.readString(in));
    p.setValue(in.readDouble());
    p.setUnit(StringValue.readString(in));
    p.setEventTime(Instant.ofEpochMilli(in.readLong()));
    p.setEntityKind(StringValue.readString(in));
    p.setTags(StringMaps.read(in));
    p.setSource(StringValue.readString(in));
    return p;
  }

  @Override
  public MetricPoint deserialize(MetricPoint reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<MetricPoint> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Version 1 of the format above. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricPoint> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
