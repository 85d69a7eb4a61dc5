package io.autonomic.flinkjobs.detector.types;

import io.autonomic.avro.MetricPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer for {@link MetricPoint} between operators: the fields in order; strings as a length and their
 * bytes (ASCII written straight from the chars, anything else as UTF-8), interned on reading; tags as a count and
 * pairs.
 *
 * <p>Written by hand because every point crosses the network hand-off from the source to the keyed windows: Flink's
 * Avro serializer for the generated class re-encodes it through a resolving Avro writer and reader and deep-copies
 * it with {@code GenericData.deepCopy} between chained operators, which cost more than the windows themselves, and
 * Flink's own string format ({@code StringValue}) decodes char by char through a thread-local buffer
 * (JFR, docs/benchmarks.md). Interning means the entity ids, metric names and tags that repeat from point to point
 * are one instance each with a cached hash code. The interning cache makes the serializer stateful:
 * {@link #duplicate} gives each user its own. The format is versioned by {@link Snapshot}; points are never kept in
 * keyed state.
 */
public final class MetricPointSerializer extends TypeSerializer<MetricPoint> {
  private static final long serialVersionUID = 1L;
  private static final int NULL = -1;
  private static final int INTERNED = 4096;
  private static final Class<?> UNMODIFIABLE = Collections.unmodifiableMap(new HashMap<>()).getClass();

  /** The point stream's type: operators that produce points declare it ({@code returns} or ResultTypeQueryable). */
  public static final SerializerTypeInfo<MetricPoint> TYPE =
      new SerializerTypeInfo<>(MetricPoint.class, new MetricPointSerializer());

  private transient BytesCache<String> strings;
  private transient byte[] scratch;

  @Override
  public TypeSerializer<MetricPoint> duplicate() {
    return new MetricPointSerializer();
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public MetricPoint createInstance() {
    return new MetricPoint();
  }

  /**
   * Strings and the Instant are immutable and shared; the tags map is copied unless it is unmodifiable (the
   * decoder's shared tag maps), since a copy only protects against changes.
   */
  @Override
  public MetricPoint copy(MetricPoint from) {
    MetricPoint p = new MetricPoint();
    p.setEntityId(from.getEntityId());
    p.setMetric(from.getMetric());
    p.setValue(from.getValue());
    p.setUnit(from.getUnit());
    p.setEventTime(from.getEventTime());
    p.setEntityKind(from.getEntityKind());
    Map<String, String> tags = from.getTags();
    p.setTags(tags == null || tags.getClass() == UNMODIFIABLE ? tags : new HashMap<>(tags));
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
    writeString(p.getEntityId(), out);
    writeString(p.getMetric(), out);
    out.writeDouble(p.getValue());
    writeString(p.getUnit(), out);
    out.writeLong(p.getEventTime().toEpochMilli());
    writeString(p.getEntityKind(), out);
    Map<String, String> tags = p.getTags();
    if (tags == null) {
      out.writeInt(NULL);
    } else {
      out.writeInt(tags.size());
      for (Map.Entry<String, String> e : tags.entrySet()) {
        writeString(e.getKey(), out);
        writeString(e.getValue(), out);
      }
    }
    writeString(p.getSource(), out);
  }

  @Override
  public MetricPoint deserialize(DataInputView in) throws IOException {
    MetricPoint p = new MetricPoint();
    p.setEntityId(readString(in));
    p.setMetric(readString(in));
    p.setValue(in.readDouble());
    p.setUnit(readString(in));
    p.setEventTime(Instant.ofEpochMilli(in.readLong()));
    p.setEntityKind(readString(in));
    int n = in.readInt();
    if (n != NULL) {
      Map<String, String> tags = new HashMap<>(Math.max(2, n * 2));
      for (int i = 0; i < n; i++) {
        tags.put(readString(in), readString(in));
      }
      p.setTags(tags);
    }
    p.setSource(readString(in));
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

  /**
   * -1 for null; n >= 0 for n ASCII bytes; -2 - n for n bytes of UTF-8. (Not {@code DataOutputView.writeBytes}:
   * Flink 2.2's DataOutputSerializer advances its position twice in it.)
   */
  private void writeString(String s, DataOutputView out) throws IOException {
    if (s == null) {
      out.writeInt(NULL);
      return;
    }
    int n = s.length();
    byte[] b = scratch(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(-2 - utf8.length);
        out.write(utf8);
        return;
      }
      b[i] = (byte) c;
    }
    out.writeInt(n);
    out.write(b, 0, n);
  }

  private byte[] scratch(int n) {
    if (scratch == null || scratch.length < n) {
      scratch = new byte[Math.max(n, 64)];
    }
    return scratch;
  }

  private String readString(DataInputView in) throws IOException {
    int h = in.readInt();
    if (h == NULL) {
      return null;
    }
    int n = h >= 0 ? h : -2 - h;
    byte[] b = scratch(n);
    in.readFully(b, 0, n);
    if (strings == null) {
      strings = new BytesCache<>(INTERNED);
    }
    String s = strings.get(b, 0, n);
    if (s == null) {
      s = new String(b, 0, n, StandardCharsets.UTF_8); // ASCII is UTF-8 too
      strings.put(b, 0, n, s);
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricPointSerializer;
  }

  @Override
  public int hashCode() {
    return MetricPointSerializer.class.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<MetricPoint> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Version 1 of the format above. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricPoint> {
    public Snapshot() {
      super(MetricPointSerializer::new);
    }
  }
}
