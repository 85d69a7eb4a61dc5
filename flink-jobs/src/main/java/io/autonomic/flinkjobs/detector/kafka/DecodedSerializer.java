package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.avro.DeadLetter;
import io.autonomic.flinkjobs.detector.types.MetricPointSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer for {@link Decoded}: a flag, then the point ({@link MetricPointSerializer}) or the dead letter
 * (its Avro single-object encoding; dead letters are rare, so the simple way is fast enough).
 *
 * <p>{@link #copy} returns the record itself: Flink copies every record the source hands to the chained split
 * (object reuse is off), and a Decoded is immutable (final fields) and its content is only read: the split
 * unwraps it and the keyed shuffle serializes the point.
 */
public final class DecodedSerializer extends TypeSerializer<Decoded> {
  private static final long serialVersionUID = 1L;
  private final MetricPointSerializer points = new MetricPointSerializer();

  /** Its own, since the point serializer it holds is stateful. */
  @Override
  public TypeSerializer<Decoded> duplicate() {
    return new DecodedSerializer();
  }

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public Decoded createInstance() {
    return Decoded.point(points.createInstance());
  }

  @Override
  public Decoded copy(Decoded from) {
    return from;
  }

  @Override
  public Decoded copy(Decoded from, Decoded reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(Decoded d, DataOutputView out) throws IOException {
    if (d.point != null) {
      out.writeBoolean(true);
      points.serialize(d.point, out);
    } else {
      out.writeBoolean(false);
      ByteBuffer b = d.deadLetter.toByteBuffer();
      out.writeInt(b.remaining());
      out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }
  }

  @Override
  public Decoded deserialize(DataInputView in) throws IOException {
    if (in.readBoolean()) {
      return Decoded.point(points.deserialize(in));
    }
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return Decoded.deadLetter(DeadLetter.fromByteBuffer(ByteBuffer.wrap(b)));
  }

  @Override
  public Decoded deserialize(Decoded reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecodedSerializer;
  }

  @Override
  public int hashCode() {
    return DecodedSerializer.class.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<Decoded> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Version 1 of the format above. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Decoded> {
    public Snapshot() {
      super(DecodedSerializer::new);
    }
  }
}
