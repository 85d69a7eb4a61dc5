package io.autonomic.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starting detached child processes and stopping them by pid. */
public final class Processes {
  private Processes() {}

  public static boolean alive(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * The classpath for child JVMs (the broker): this launcher's own, or {@code autonomic.classpath} where
   * the JVM's class path is not the real one (test runners that boot through a manifest-only jar).
   */
  public static String classpath() {
    return System.getProperty("autonomic.classpath", System.getProperty("java.class.path"));
  }

  /** The java binary of this JVM, so children run on the same Java as the launcher. */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts a process that outlives this JVM, with stdout and stderr appended to {@code log}. It runs
   * in its own session (setsid, where available) so a Ctrl-C in the terminal that ran {@code up} does
   * not reach it.
   */
  public static Process startDetached(List<String> command, Path workDir, Path log) throws IOException {
    return startDetached(command, workDir, log, java.util.Map.of());
  }

  /** {@link #startDetached(List, Path, Path)} with {@code env} added to this process's environment. */
  public static Process startDetached(List<String> command, Path workDir, Path log, java.util.Map<String, String> env)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> full = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      full.add("/usr/bin/setsid");
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full);
    builder.environment().putAll(env);
    return builder
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true if the process is gone. */
  public static boolean stop(long pid, Duration grace) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return true;
    }
    ProcessHandle h = handle.get();
    h.descendants().forEach(ProcessHandle::destroy);
    h.destroy();
    try {
      h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception timeoutOrInterrupt) {
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        return !h.isAlive();
      }
    }
    return !h.isAlive();
  }

  /** The last lines of a log, for error messages that say why a component did not come up. */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
