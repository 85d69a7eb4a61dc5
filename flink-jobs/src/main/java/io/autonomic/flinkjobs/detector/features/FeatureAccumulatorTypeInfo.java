package io.autonomic.flinkjobs.detector.features;

import com.tdunning.math.stats.AVLTreeDigest;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for {@link FeatureAccumulator}: a hand-written serializer so window state is written
 * with the t-digest's own compact encoding instead of Kryo reflecting over the digest's internals (which would
 * need JDK module openings on a cluster and break when t-digest changes its fields).
 */
public final class FeatureAccumulatorTypeInfo extends TypeInformation<FeatureAccumulator> {
  private static final long serialVersionUID = 1L;

  /** Picked up through {@code @TypeInfo} on {@link FeatureAccumulator}. */
  public static final class Factory extends TypeInfoFactory<FeatureAccumulator> {
    @Override
    public TypeInformation<FeatureAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
      return new FeatureAccumulatorTypeInfo();
    }
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<FeatureAccumulator> getTypeClass() {
    return FeatureAccumulator.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<FeatureAccumulator> createSerializer(SerializerConfig config) {
    return Serializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "FeatureAccumulator";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof FeatureAccumulatorTypeInfo;
  }

  @Override
  public int hashCode() {
    return FeatureAccumulatorTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof FeatureAccumulatorTypeInfo;
  }

  /** Writes the scalar fields, the tags and the digest's small encoding. */
  public static final class Serializer extends TypeSerializerSingleton<FeatureAccumulator> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

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
      writeString(out, a.entityId);
      writeString(out, a.metric);
      if (a.tags == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(a.tags.size());
        for (Map.Entry<String, String> e : a.tags.entrySet()) {
          writeString(out, e.getKey());
          writeString(out, e.getValue());
        }
      }
      out.writeLong(a.count);
      out.writeDouble(a.mean);
      out.writeDouble(a.m2);
      out.writeDouble(a.min);
      out.writeDouble(a.max);
      out.writeLong(a.firstTime);
      out.writeDouble(a.firstValue);
      out.writeLong(a.lastTime);
      out.writeDouble(a.lastValue);
      if (a.digest == null) {
        out.writeInt(-1);
      } else {
        ByteBuffer buf = ByteBuffer.allocate(a.digest.smallByteSize());
        a.digest.asSmallBytes(buf);
        out.writeInt(buf.position());
        out.write(buf.array(), 0, buf.position());
      }
    }

    @Override
    public FeatureAccumulator deserialize(DataInputView in) throws IOException {
      FeatureAccumulator a = new FeatureAccumulator();
      a.entityId = readString(in);
      a.metric = readString(in);
      int tags = in.readInt();
      if (tags >= 0) {
        a.tags = new HashMap<>();
        for (int i = 0; i < tags; i++) {
          a.tags.put(readString(in), readString(in));
        }
      }
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
        a.digest = AVLTreeDigest.fromBytes(ByteBuffer.wrap(bytes));
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
      return new Snapshot();
    }

    private static void writeString(DataOutputView out, String s) throws IOException {
      out.writeBoolean(s != null);
      if (s != null) {
        out.writeUTF(s);
      }
    }

    private static String readString(DataInputView in) throws IOException {
      return in.readBoolean() ? in.readUTF() : null;
    }
  }

  /** Serializer snapshot for checkpoints and savepoints. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<FeatureAccumulator> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
