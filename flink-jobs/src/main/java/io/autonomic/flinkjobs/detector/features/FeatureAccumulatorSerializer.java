package io.autonomic.flinkjobs.detector.features;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import io.autonomic.flinkjobs.detector.types.SerializerTypeInfo;
import io.autonomic.flinkjobs.detector.types.StringMaps;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer for {@link FeatureAccumulator} (window state): the scalar fields, the tags and the sketch in
 * DDSketch's own compact encoding, instead of Kryo reflecting over the sketch's internals (which would need JDK
 * module openings on a cluster and break when the library changes its fields).
 */
public final class FeatureAccumulatorSerializer extends TypeSerializerSingleton<FeatureAccumulator> {
  private static final long serialVersionUID = 1L;
  public static final FeatureAccumulatorSerializer INSTANCE = new FeatureAccumulatorSerializer();

  /** Picked up through {@code @TypeInfo} on {@link FeatureAccumulator}. */
  public static final class Factory extends TypeInfoFactory<FeatureAccumulator> {
    @Override
    public TypeInformation<FeatureAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
      return new SerializerTypeInfo<>(FeatureAccumulator.class, INSTANCE);
    }
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public FeatureAccumulator createInstance() {
    return new FeatureAccumulator();
  }

  @Override
  public FeatureAccumulator copy(FeatureAccumulator from) {
    return new FeatureAccumulator().merge(from);
  }

  @Override
  public FeatureAccumulator copy(FeatureAccumulator from, FeatureAccumulator reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(FeatureAccumulator a, DataOutputView out) throws IOException {
    StringValue.writeString(a.entityId, out);
    StringValue.writeString(a.metric, out);
    StringMaps.write(a.tags, out);
    out.writeLong(a.count);
    out.writeDouble(a.mean);
    out.writeDouble(a.m2);
    out.writeDouble(a.min);
    out.writeDouble(a.max);
    out.writeLong(a.firstTime);
    out.writeDouble(a.firstValue);
    out.writeLong(a.lastTime);
    out.writeDouble(a.lastValue);
    if (a.sketch == null) {
      out.writeInt(-1);
    } else {
      GrowingByteArrayOutput buf = GrowingByteArrayOutput.withInitialCapacity(64);
      a.sketch.encode(buf, false);
      out.writeInt(buf.numWrittenBytes());
      out.write(buf.backingArray(), 0, buf.numWrittenBytes());
    }
  }

  @Override
  public FeatureAccumulator deserialize(DataInputView in) throws IOException {
    FeatureAccumulator a = new FeatureAccumulator();
    a.entityId = StringValue.readString(in);
    a.metric = StringValue.readString(in);
    a.tags = StringMaps.read(in);
    a.count = in.readLong();
    a.mean = in.readDouble();
    a.m2 = in.readDouble();
    a.min = in.readDouble();
    a.max = in.readDouble();
    a.firstTime = in.readLong();
    a.firstValue = in.readDouble();
    a.lastTime = in.readLong();
    a.lastValue = in.readDouble();
    int len = in.readInt();
    if (len >= 0) {
      byte[] bytes = new byte[len];
      in.readFully(bytes);
      a.sketch = DDSketch.decode(ByteArrayInput.wrap(bytes), FeatureAccumulator::newStore);
    }
    return a;
  }

  @Override
  public FeatureAccumulator deserialize(FeatureAccumulator reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<FeatureAccumulator> snapshotConfiguration() {
    return new SketchSnapshot();
  }

  /**
   * The format above, with a DDSketch. (Window state written with the earlier t-digest format has another snapshot
   * class, so restoring it fails at once instead of misreading it.)
   */
  public static final class SketchSnapshot extends SimpleTypeSerializerSnapshot<FeatureAccumulator> {
    public SketchSnapshot() {
      super(() -> INSTANCE);
    }
  }
}
