package io.autonomic.ingest.logs;

import io.autonomic.avro.LogRecord;
import io.autonomic.ingest.delivery.TelemetrySink;
import io.autonomic.ingest.normalize.Normalizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows log files like {@code tail -F}, publishing each complete line as a {@link LogRecord}.
 *
 * <ul>
 *   <li>Rotation by rename (logrotate's default): the file at the path gets a new identity (inode);
 *       the old file is read to its end through the handle still open, final unterminated line
 *       included, then the new file from its start.</li>
 *   <li>Truncation ({@code copytruncate}): the file is shorter than the read position; reading starts
 *       over at 0. Lines written between the last poll and the copy are in the copy only: that is
 *       copytruncate's own race, logged, not something a reader can close.</li>
 *   <li>Restarts: the position and identity of each file are saved after every poll that read lines.
 *       On start, the same file resumes at its position; if it was rotated meanwhile, the rotated
 *       file (a sibling with the saved identity, such as {@code app.log.1}) is read from the saved
 *       position first. A line is saved as read only after it was handed to the publisher, so a
 *       crash can repeat the lines of one poll but never lose them.</li>
 * </ul>
 *
 * A file seen for the first time is read from its start. Lines longer than 1 MiB are cut into pieces.
 */
public final class LogTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogTail.class);
  public static final String COLLECTOR = "logs";
  private static final int MAX_LINE = 1 << 20;

  private static final class Tracked {
    final Path path;
    FileChannel channel;
    Object fileKey;
    long position;

    Tracked(Path path) {
      this.path = path;
    }
  }

  private final List<Tracked> files = new ArrayList<>();
  private final Path stateFile;
  private final Duration poll;
  private final LogLineParser parser;
  private final Normalizer normalizer;
  private final Map<String, String> resource;
  private final TelemetrySink sink;
  private final Clock clock;
  private final Properties saved = new Properties();
  private ScheduledExecutorService scheduler;
  private long linesRead;

  public LogTail(List<Path> paths, Path stateDir, Duration poll, LogLineParser parser, Normalizer normalizer,
      String host, TelemetrySink sink, Clock clock) {
    paths.forEach(p -> files.add(new Tracked(p.toAbsolutePath().normalize())));
    this.stateFile = stateDir.resolve("positions.properties");
    this.poll = poll;
    this.parser = parser;
    this.normalizer = normalizer;
    this.resource = host == null ? Map.of() : Map.of(Normalizer.HOST_NAME, host);
    this.sink = sink;
    this.clock = clock;
    try {
      Files.createDirectories(stateDir);
      if (Files.exists(stateFile)) {
        try (InputStream in = Files.newInputStream(stateFile)) {
          saved.load(in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read log positions in " + stateDir + ": " + e.getMessage(), e);
    }
  }

  public void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "log-tail");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("log tail poll failed: {}", e.toString());
    }
  }

  public synchronized long linesRead() {
    return linesRead;
  }

  /** Reads what is new in every file; public so tests can drive it without a scheduler. */
  public synchronized void poll() {
    boolean changed = false;
    for (Tracked t : files) {
      try {
        changed |= poll(t);
      } catch (IOException e) {
        LOG.warn("cannot read {}: {}", t.path, e.toString());
      }
    }
    if (changed) {
      save();
    }
  }

  private boolean poll(Tracked t) throws IOException {
    BasicFileAttributes attrs = attributes(t.path).orElse(null);
    boolean read = false;
    if (t.channel == null) {
      if (attrs == null) {
        return false;
      }
      read = open(t, attrs);
    } else if (attrs == null || !attrs.fileKey().equals(t.fileKey)) {
      // rotated (or removed): finish the old file through the open handle, then take the new one
      read |= readLines(t, true);
      t.channel.close();
      t.channel = null;
      if (attrs == null) {
        t.fileKey = null;
        return read;
      }
      LOG.info("log file rotated: {}", t.path);
      t.channel = FileChannel.open(t.path, StandardOpenOption.READ);
      t.fileKey = attrs.fileKey();
      t.position = 0;
      read = true;
    } else if (attrs.size() < t.position) {
      LOG.info("log file truncated: {} (was at byte {}, now {} bytes); reading from the start", t.path, t.position,
          attrs.size());
      t.position = 0;
      read = true;
    }
    read |= readLines(t, false);
    return read;
  }

  private boolean open(Tracked t, BasicFileAttributes attrs) throws IOException {
    String state = saved.getProperty(t.path.toString());
    t.fileKey = attrs.fileKey();
    t.position = 0;
    boolean read = false;
    if (state != null) {
      int bar = state.lastIndexOf('|');
      String key = state.substring(0, bar);
      long position = Long.parseLong(state.substring(bar + 1));
      if (key.equals(String.valueOf(attrs.fileKey()))) {
        t.position = attrs.size() < position ? 0 : position;
      } else {
        Optional<Path> rotated = findRotated(t.path, key);
        if (rotated.isPresent()) {
          LOG.info("log file {} was rotated while the agent was down; reading {} from byte {} first", t.path,
              rotated.get(), position);
          Tracked old = new Tracked(t.path);
          old.channel = FileChannel.open(rotated.get(), StandardOpenOption.READ);
          old.position = position;
          try {
            read = readLines(old, true);
          } finally {
            old.channel.close();
          }
        } else {
          LOG.warn("log file {} changed while the agent was down and its previous file is gone; reading the new "
              + "file from its start", t.path);
        }
      }
    }
    t.channel = FileChannel.open(t.path, StandardOpenOption.READ);
    return read || state == null;
  }

  private static Optional<Path> findRotated(Path path, String key) throws IOException {
    Path dir = path.getParent();
    String name = path.getFileName().toString();
    try (Stream<Path> siblings = Files.list(dir)) {
      for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(name) && !p.equals(path)).toList()) {
        Optional<BasicFileAttributes> a = attributes(p);
        if (a.isPresent() && String.valueOf(a.get().fileKey()).equals(key)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<BasicFileAttributes> attributes(Path p) {
    try {
      return Optional.of(Files.readAttributes(p, BasicFileAttributes.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Publishes the complete lines after the position; with {@code toEnd} also a final unterminated line. */
  private boolean readLines(Tracked t, boolean toEnd) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long pos = t.position;
    long lineStart = pos;
    boolean any = false;
    while (true) {
      buf.clear();
      int n = t.channel.read(buf, pos);
      if (n <= 0) {
        break;
      }
      byte[] bytes = buf.array();
      for (int i = 0; i < n; i++) {
        byte b = bytes[i];
        pos++;
        if (b == '\n') {
          emit(t.path, line);
          line.reset();
          lineStart = pos;
          any = true;
        } else if (line.size() >= MAX_LINE) {
          emit(t.path, line);
          line.reset();
          line.write(b);
          lineStart = pos - 1;
          any = true;
        } else {
          line.write(b);
        }
      }
    }
    if (toEnd && line.size() > 0) {
      emit(t.path, line);
      lineStart = pos;
      any = true;
    }
    t.position = lineStart;
    return any;
  }

  private void emit(Path path, ByteArrayOutputStream bytes) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isBlank()) {
      return;
    }
    LogLineParser.Parsed p = parser.parse(text);
    Map<String, String> attributes = new LinkedHashMap<>(p.attributes());
    attributes.put("log.file.path", path.toString());
    attributes.put("log.format", p.format());
    LogRecord r = normalizer.log(resource, attributes, p.timeMillis() != null ? p.timeMillis() : clock.millis(),
        p.severity(), p.message(), path.toString());
    sink.log(COLLECTOR, r);
    linesRead++;
  }

  private void save() {
    for (Tracked t : files) {
      if (t.fileKey != null) {
        saved.setProperty(t.path.toString(), t.fileKey + "|" + t.position);
      }
    }
    try {
      Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        saved.store(out, "log tail read positions: path=fileKey|byte offset");
      }
      Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot save log positions to {}: {}", stateFile, e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    save();
    for (Tracked t : files) {
      if (t.channel != null) {
        try {
          t.channel.close();
        } catch (IOException ignored) {
          // closing a read-only handle
        }
      }
    }
  }
}
