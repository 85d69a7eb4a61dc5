package io.autonomic.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Moves the process' log output to a file for the length of a demo run, so the terminal shows the demo's own
 * progress lines (the streams apps, Flink and the remediator log dozens of lines a minute) and the logs are
 * still there to read. {@link #close} puts the previous appenders back. Does nothing when log4j is not the
 * logging backend.
 */
public final class DemoLogs implements AutoCloseable {
  private final Map<LoggerConfig, List<Appender>> previous = new LinkedHashMap<>();
  private final LoggerContext context;
  private final Appender file;

  private DemoLogs(LoggerContext context, Appender file) {
    this.context = context;
    this.file = file;
  }

  /** Sends every log line to {@code logFile} (appended) instead of the console until closed. */
  public static DemoLogs toFile(Path logFile) {
    if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return new DemoLogs(null, null);
    }
    Configuration config = ctx.getConfiguration();
    PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config)
        .withPattern("%d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n").build();
    FileAppender appender = FileAppender.newBuilder().setName("autonomic-demo-file")
        .withFileName(logFile.toAbsolutePath().toString()).withAppend(true).setLayout(layout)
        .setConfiguration(config).build();
    appender.start();
    config.addAppender(appender);
    DemoLogs logs = new DemoLogs(ctx, appender);
    List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
    loggers.add(config.getRootLogger());
    for (LoggerConfig lc : loggers) {
      if (lc.getAppenders().isEmpty() || logs.previous.containsKey(lc)) {
        continue;
      }
      logs.previous.put(lc, new ArrayList<>(lc.getAppenders().values()));
      for (String name : new ArrayList<>(lc.getAppenders().keySet())) {
        lc.removeAppender(name);
      }
      lc.addAppender(appender, null, null);
    }
    ctx.updateLoggers();
    return logs;
  }

  @Override
  public synchronized void close() {
    if (context == null || previous.isEmpty()) {
      return;
    }
    previous.forEach((lc, appenders) -> {
      lc.removeAppender(file.getName());
      appenders.forEach(a -> lc.addAppender(a, null, null));
    });
    previous.clear();
    context.updateLoggers();
    file.stop();
  }
}
