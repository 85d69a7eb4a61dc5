package io.autonomic.ingest.delivery;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A bounded on-disk queue of {@link SpoolRecord}s, read in sequence order, for points that cannot go
 * to Kafka yet. Not thread-safe: the {@link ReliablePublisher} calls it under its lock.
 *
 * <p>Segment files {@code <first seq>.spool} hold framed records ({@code [length][crc32][payload]});
 * a torn tail after a crash fails its CRC or its length and ends the segment. A small checkpoint file
 * holds the highest sequence number Kafka acknowledged, so a restarted agent skips what was already
 * delivered. A segment is deleted once every record in it is acknowledged.
 *
 * <p>Bounded by bytes: when an append would exceed {@code maxBytes}, the oldest segment is dropped
 * and its unread records are reported to the {@link DropListener} (counted and logged by the caller).
 *
 * <p>Trade-offs: appends are not fsynced one by one (a segment is forced when it is closed or rolled),
 * so a machine crash can lose the last unflushed points; an agent crash cannot (the OS has them).
 * Segments are whole-file units, so the bound is exceeded by at most one segment while reading.
 */
public final class DiskSpool implements AutoCloseable {
  /** Told how many unread records of each collector a full spool dropped. */
  public interface DropListener {
    void dropped(Map<String, Long> recordsByCollector);
  }

  private static final String SUFFIX = ".spool";
  private static final String CHECKPOINT = "acked.checkpoint";

  private static final class Segment {
    final long firstSeq;
    final Path path;
    long lastSeq;
    long bytes;

    Segment(long firstSeq, Path path) {
      this.firstSeq = firstSeq;
      this.path = path;
      this.lastSeq = firstSeq - 1;
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final DropListener dropListener;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();

  private Segment writeSegment;
  private DataOutputStream writer;
  private long writerFlushed;

  private Segment readSegment;
  private FileChannel readChannel;
  private long readPos;
  private final ByteBuffer readHeader = ByteBuffer.allocate(8);

  private long acked = -1;
  private long checkpointed = -1;
  private long totalBytes;
  private long unread;
  private long maxSeq = -1;

  public DiskSpool(Path dir, long maxBytes, long segmentBytes, DropListener dropListener) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = Math.max(4096, Math.min(segmentBytes, Math.max(4096, maxBytes / 4)));
    this.dropListener = dropListener;
    try {
      Files.createDirectories(dir);
      recover();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spool in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void recover() throws IOException {
    Path cp = dir.resolve(CHECKPOINT);
    if (Files.exists(cp)) {
      String text = Files.readString(cp).trim();
      if (!text.isEmpty()) {
        acked = Long.parseLong(text);
        checkpointed = acked;
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
        String name = p.getFileName().toString();
        long first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        Segment s = new Segment(first, p);
        scan(s);
        if (s.lastSeq < s.firstSeq || s.lastSeq <= acked) {
          Files.deleteIfExists(p);
          continue;
        }
        segments.put(first, s);
        totalBytes += s.bytes;
      }
    }
    maxSeq = Math.max(maxSeq, acked);
  }

  /** Reads a segment at start-up: its valid length, last sequence number and unread records. */
  private void scan(Segment s) throws IOException {
    try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long pos = 0;
      while (true) {
        Framed f = readAt(ch, pos);
        if (f == null) {
          break;
        }
        pos += 8 + f.diskPayloadLength;
        s.lastSeq = f.record.seq();
        maxSeq = Math.max(maxSeq, f.record.seq());
        if (f.record.seq() > acked) {
          unread++;
        }
      }
      if (ch.size() > pos) {
        ch.truncate(pos); // a torn tail from a crash
      }
      s.bytes = pos;
    }
  }

  /** Highest sequence number on disk or acknowledged; the publisher continues after it. */
  public long maxSeq() {
    return maxSeq;
  }

  public boolean hasUnread() {
    return unread > 0;
  }

  public long unreadRecords() {
    return unread;
  }

  public long bytes() {
    return totalBytes;
  }

  /** Appends a record, dropping the oldest segment first when the spool would exceed its bound. */
  public void append(SpoolRecord r) {
    try {
      int size = r.diskSize();
      while (totalBytes + size > maxBytes && !segments.isEmpty()) {
        dropOldest();
      }
      // A new segment whenever the spool starts filling again, so no segment spans points that were
      // kept in memory meanwhile (a restart reads segments in the order of their first point).
      if (writeSegment == null || unread == 0 || writeSegment.bytes + size > segmentBytes) {
        roll(r.seq());
      }
      byte[] payload = encode(r);
      CRC32 crc = new CRC32();
      crc.update(payload);
      writer.writeInt(payload.length);
      writer.writeInt((int) crc.getValue());
      writer.write(payload);
      writeSegment.bytes += 8 + payload.length;
      writeSegment.lastSeq = r.seq();
      totalBytes += 8 + payload.length;
      unread++;
      maxSeq = Math.max(maxSeq, r.seq());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the spool in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes records older than everything on disk (the unacknowledged in-memory points at shutdown)
   * as their own segment, which sorts first by its sequence number.
   */
  public void writeOlder(List<SpoolRecord> records) {
    int start = 0;
    for (int i = 1; i <= records.size(); i++) {
      if (i == records.size() || records.get(i).seq() != records.get(i - 1).seq() + 1) {
        writeRun(records.subList(start, i)); // a gap is held by a segment already on disk
        start = i;
      }
    }
  }

  private void writeRun(List<SpoolRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    closeWriter();
    long first = records.get(0).seq();
    Segment s = new Segment(first, dir.resolve(String.format("%020d%s", first, SUFFIX)));
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
        Files.newOutputStream(s.path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE), 1 << 16))) {
      for (SpoolRecord r : records) {
        byte[] payload = encode(r);
        CRC32 crc = new CRC32();
        crc.update(payload);
        out.writeInt(payload.length);
        out.writeInt((int) crc.getValue());
        out.write(payload);
        s.bytes += 8 + payload.length;
        s.lastSeq = r.seq();
        unread++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the spool in " + dir + ": " + e.getMessage(), e);
    }
    segments.put(first, s);
    totalBytes += s.bytes;
  }

  /** The next unread record in sequence order, or null when all were read. */
  public SpoolRecord next() {
    try {
      while (unread > 0) {
        if (readSegment == null) {
          Map.Entry<Long, Segment> e = segments.firstEntry();
          if (e == null) {
            return null;
          }
          openRead(e.getValue());
        }
        if (readSegment == writeSegment && readPos + 8 > writerFlushed) {
          flushWriter();
        }
        Framed r = readAt(readChannel, readPos);
        if (r == null) {
          if (readSegment == writeSegment) {
            return null;
          }
          Map.Entry<Long, Segment> after = segments.higherEntry(readSegment.firstSeq);
          closeRead();
          if (after == null) {
            return null;
          }
          openRead(after.getValue());
          continue;
        }
        readPos += 8 + r.diskPayloadLength;
        if (r.record.seq() <= acked) {
          continue; // delivered before a restart
        }
        unread--;
        return r.record;
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spool in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Kafka acknowledged every record up to {@code seq}: checkpoint it and delete finished segments. */
  public void acked(long seq) {
    if (seq <= acked) {
      return;
    }
    acked = seq;
    while (!segments.isEmpty()) {
      Segment first = segments.firstEntry().getValue();
      boolean fullyRead = first != writeSegment && first != readSegment;
      if (first.lastSeq <= acked && fullyRead) {
        deleteSegment(first);
      } else {
        break;
      }
    }
  }

  /** Writes the acknowledged sequence number to disk when it moved. */
  public void checkpoint() {
    if (acked == checkpointed) {
      return;
    }
    try {
      Path tmp = dir.resolve(CHECKPOINT + ".tmp");
      Files.writeString(tmp, Long.toString(acked));
      Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      checkpointed = acked;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spool checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeWriter();
    closeRead();
    checkpoint();
  }

  private void roll(long firstSeq) throws IOException {
    closeWriter();
    Segment s = new Segment(firstSeq, dir.resolve(String.format("%020d%s", firstSeq, SUFFIX)));
    OutputStream out = Files.newOutputStream(s.path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    writer = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    writerFlushed = 0;
    writeSegment = s;
    segments.put(firstSeq, s);
  }

  private void flushWriter() throws IOException {
    writer.flush();
    writerFlushed = writeSegment.bytes;
  }

  private void closeWriter() {
    if (writer != null) {
      try {
        writer.flush();
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (readSegment == writeSegment) {
        writerFlushed = Long.MAX_VALUE;
      }
      writer = null;
      writeSegment = null;
    }
  }

  private void openRead(Segment s) throws IOException {
    readSegment = s;
    readChannel = FileChannel.open(s.path, StandardOpenOption.READ);
    readPos = 0;
  }

  private void closeRead() {
    if (readChannel != null) {
      try {
        readChannel.close();
      } catch (IOException ignored) {
        // read-only channel: nothing to lose
      }
    }
    readChannel = null;
    readSegment = null;
    readPos = 0;
  }

  private void dropOldest() throws IOException {
    Segment oldest = segments.firstEntry().getValue();
    Map<String, Long> dropped = new HashMap<>();
    long startPos = 0;
    if (oldest == readSegment) {
      startPos = readPos;
    }
    if (oldest == writeSegment) {
      flushWriter();
    }
    try (FileChannel ch = FileChannel.open(oldest.path, StandardOpenOption.READ)) {
      long pos = startPos;
      while (true) {
        Framed f = readAt(ch, pos);
        if (f == null) {
          break;
        }
        pos += 8 + f.diskPayloadLength;
        if (f.record.seq() > acked) {
          dropped.merge(f.record.collector(), 1L, Long::sum);
          unread--;
        }
      }
    }
    if (oldest == readSegment) {
      closeRead();
    }
    if (oldest == writeSegment) {
      closeWriter();
    }
    deleteSegment(oldest);
    if (!dropped.isEmpty()) {
      dropListener.dropped(dropped);
    }
  }

  private void deleteSegment(Segment s) {
    segments.remove(s.firstSeq);
    totalBytes -= s.bytes;
    try {
      Files.deleteIfExists(s.path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete spool segment " + s.path + ": " + e.getMessage(), e);
    }
  }

  private record Framed(SpoolRecord record, int diskPayloadLength) {}

  private Framed readAt(FileChannel ch, long pos) throws IOException {
    ByteBuffer header = readHeader.clear();
    if (!readFully(ch, header, pos)) {
      return null;
    }
    header.flip();
    int length = header.getInt();
    int crc = header.getInt();
    if (length <= 0 || length > 64 * 1024 * 1024 || pos + 8 + length > ch.size()) {
      return null;
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    if (!readFully(ch, payload, pos + 8)) {
      return null;
    }
    CRC32 check = new CRC32();
    check.update(payload.array());
    if ((int) check.getValue() != crc) {
      return null;
    }
    return new Framed(decode(payload.flip()), length);
  }

  private static boolean readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        return false;
      }
      if (n == 0 && p >= ch.size()) {
        return false;
      }
      p += n;
    }
    return true;
  }

  static byte[] encode(SpoolRecord r) {
    byte[] topic = r.topic().getBytes(StandardCharsets.UTF_8);
    byte[] collector = r.collector().getBytes(StandardCharsets.UTF_8);
    int keyLen = r.key() == null ? -1 : r.key().length;
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + topic.length + 2 + collector.length + 4 + Math.max(0, keyLen)
        + r.value().length);
    b.putLong(r.seq()).putShort((short) topic.length).put(topic).putShort((short) collector.length).put(collector)
        .putInt(keyLen);
    if (keyLen > 0) {
      b.put(r.key());
    }
    b.put(r.value());
    return b.array();
  }

  static SpoolRecord decode(ByteBuffer b) {
    long seq = b.getLong();
    byte[] topic = new byte[b.getShort()];
    b.get(topic);
    byte[] collector = new byte[b.getShort()];
    b.get(collector);
    int keyLen = b.getInt();
    byte[] key = keyLen < 0 ? null : new byte[keyLen];
    if (key != null) {
      b.get(key);
    }
    byte[] value = new byte[b.remaining()];
    b.get(value);
    return new SpoolRecord(seq, new String(topic, StandardCharsets.UTF_8), new String(collector, StandardCharsets.UTF_8),
        key, value);
  }

  /** Segment file names, oldest first (for tests and status). */
  public List<Path> segmentFiles() {
    List<Path> out = new ArrayList<>();
    segments.values().forEach(s -> out.add(s.path));
    return out;
  }
}
