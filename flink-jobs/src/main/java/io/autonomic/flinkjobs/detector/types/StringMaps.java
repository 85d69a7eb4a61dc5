package io.autonomic.flinkjobs.detector.types;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** A string map (tags) in the detector's serializers: its size (-1 for null), then keys and values. */
public final class StringMaps {
  private StringMaps() {}

  public static void write(Map<String, String> map, DataOutputView out) throws IOException {
    if (map == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      StringValue.writeString(e.getKey(), out);
      StringValue.writeString(e.getValue(), out);
    }
  }

  public static Map<String, String> read(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    Map<String, String> map = new HashMap<>(Math.max(2, n * 2));
    for (int i = 0; i < n; i++) {
      map.put(StringValue.readString(in), StringValue.readString(in));
    }
    return map;
  }
}
