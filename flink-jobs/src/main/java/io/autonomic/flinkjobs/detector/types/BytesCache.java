package io.autonomic.flinkjobs.detector.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A small direct-mapped cache of values decoded from short byte ranges: the same bytes give the same instance
 * back without decoding them again. Decoders use it for the strings and tag maps that repeat from point to point
 * (entity ids, metric names, tags), so a repeated value costs neither an allocation nor a new hash code.
 *
 * <p>Written by hand: the lookup must work on a range of a byte array without allocating a key, which map-based
 * caches (Caffeine, Guava) cannot do. A slot holds one entry, so colliding keys just evict each other. Not
 * thread-safe: one per decoder.
 *
 * @param <V> the decoded value
 */
public final class BytesCache<V> {
  /** Longer ranges are not cached (they rarely repeat and cost more to compare). */
  public static final int MAX_LENGTH = 256;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[][] keys;
  private final Object[] values;
  private final int mask;

  /** {@code slots} is rounded up to a power of two. */
  public BytesCache(int slots) {
    int n = Integer.highestOneBit(Math.max(2, slots - 1)) << 1;
    keys = new byte[n][];
    values = new Object[n];
    mask = n - 1;
  }

  /** The value cached for {@code len} bytes of {@code b} from {@code off}, or null. */
  @SuppressWarnings("unchecked")
  public V get(byte[] b, int off, int len) {
    if (len > MAX_LENGTH) {
      return null;
    }
    int slot = slot(b, off, len);
    byte[] key = keys[slot];
    return key != null && Arrays.equals(key, 0, key.length, b, off, off + len) ? (V) values[slot] : null;
  }

  /** Caches {@code value} for those bytes (a copy of them), replacing whatever shared its slot. */
  public void put(byte[] b, int off, int len, V value) {
    if (len > MAX_LENGTH) {
      return;
    }
    int slot = slot(b, off, len);
    keys[slot] = Arrays.copyOfRange(b, off, off + len);
    values[slot] = value;
  }

  /** A multiplicative hash over 8 bytes at a time (a byte at a time showed in the profile). */
  private int slot(byte[] b, int off, int len) {
    long h = len;
    int i = off;
    for (int end = off + len - 7; i < end; i += 8) {
      h = (h + (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
    }
    for (int end = off + len; i < end; i++) {
      h = (h + b[i]) * 0x9E3779B97F4A7C15L;
    }
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
