package io.autonomic.flinkjobs.detector.kafka;

import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.types.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What the Kafka source read: a valid point, or a dead letter for a record that could not be one. Flink handles it
 * with {@link DecodedSerializer}.
 */
@TypeInfo(Decoded.TypeInfoFactory.class)
public class Decoded {
  /** The valid point, or null. */
  public final MetricPoint point;
  /** The dead letter for a record that is not a valid point, or null. */
  public final DeadLetter deadLetter;

  private Decoded(MetricPoint point, DeadLetter deadLetter) {
    this.point = point;
    this.deadLetter = deadLetter;
  }

  public static Decoded point(MetricPoint p) {
    return new Decoded(p, null);
  }

  public static Decoded deadLetter(DeadLetter dl) {
    return new Decoded(null, dl);
  }

  /** Event time of a point; dead letters take no part in watermarks. */
  public long eventTime() {
    return point != null ? point.getEventTime().toEpochMilli() : Long.MIN_VALUE;
  }

  /** {@link Decoded}'s type for Flink: {@link DecodedSerializer}. */
  public static final class TypeInfoFactory extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<Decoded> {
    @Override
    public TypeInformation<Decoded> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
      return new SerializerTypeInfo<>(Decoded.class, new DecodedSerializer());
    }
  }
}
