package io.autonomic.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code up} started, recorded so that {@code status}, {@code down} and every other subcommand
 * can find the stack: the pids and the addresses. Written atomically (temp file, then move).
 */
public record StackState(long kafkaPid, String bootstrapServers, long registryPid, String registryUrl) {

  public static Optional<StackState> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
      return Optional.of(new StackState(
          Long.parseLong(p.getProperty("kafka.pid", "-1")),
          p.getProperty("kafka.bootstrap.servers"),
          Long.parseLong(p.getProperty("registry.pid", "-1")),
          p.getProperty("registry.url")));
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException(file + ": unreadable stack state (" + e.getMessage()
          + "); run ./autonomic down, or delete it if nothing is running", e);
    }
  }

  public void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("kafka.pid", Long.toString(kafkaPid));
    p.setProperty("kafka.bootstrap.servers", bootstrapServers);
    p.setProperty("registry.pid", Long.toString(registryPid));
    p.setProperty("registry.url", registryUrl);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "written by ./autonomic up; read by status, down and the other subcommands");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public boolean kafkaAlive() {
    return Processes.alive(kafkaPid);
  }

  public boolean registryAlive() {
    return Processes.alive(registryPid);
  }
}
