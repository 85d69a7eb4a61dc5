package io.autonomic.remediator.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Fleet} that runs a configured shell command per action, with a timeout. The target and parameters
 * reach the command as environment variables ({@code AUTONOMIC_TARGET}, {@code AUTONOMIC_REPLICAS}), never
 * spliced into the command text, so a target name cannot inject shell code.
 */
public final class ShellFleet implements Fleet {
  /**
   * @param scale    command for SCALE, or null when not supported
   * @param restart  command for RESTART
   * @param failover command for FAILOVER
   * @param timeout  longest a command may run before it is killed and the action FAILED
   */
  public record Commands(String scale, String restart, String failover, Duration timeout) {}

  private final Commands commands;

  public ShellFleet(Commands commands) {
    this.commands = commands;
  }

  @Override
  public int scale(String service, int replicas) throws Exception {
    String out = run("scale", commands.scale(), Map.of("AUTONOMIC_TARGET", service, "AUTONOMIC_REPLICAS",
        Integer.toString(replicas)));
    try {
      return Integer.parseInt(out.strip()); // a command may print the replicas it found before
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String restart(String instance) throws Exception {
    return "restarted " + instance + ": " + run("restart", commands.restart(), Map.of("AUTONOMIC_TARGET", instance));
  }

  @Override
  public String failover(String service) throws Exception {
    return "failed over " + service + ": " + run("failover", commands.failover(), Map.of("AUTONOMIC_TARGET", service));
  }

  private String run(String action, String command, Map<String, String> env) throws IOException,
      InterruptedException {
    if (command == null || command.isBlank()) {
      throw new IllegalStateException("no command configured for " + action + " (executor.local." + action + ")");
    }
    Path out = Files.createTempFile("autonomic-local-", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true)
          .redirectOutput(out.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(commands.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IllegalStateException(action + " timed out after " + commands.timeout().toMillis() + " ms");
      }
      String text = Files.readString(out, StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(action + " exited with " + p.exitValue() + ": " + tail(text));
      }
      return tail(text);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String tail(String s) {
    return s.length() > 300 ? "..." + s.substring(s.length() - 300) : s;
  }
}
