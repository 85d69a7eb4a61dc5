package io.autonomic.remediator.app;

import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The remediator as a child process for the crash test: {@code --set key=value} arguments in, runs until killed.
 * Its clock pauses a little on every read so that a batch takes long enough to be killed in the middle of it.
 */
public final class RemediatorChild {
  public static void main(String[] args) throws Exception {
    List<String> overrides = Arrays.asList(args);
    Config config = ConfigLoader.load(null, overrides, Map.of(), Map.of());
    RemediatorApp app = RemediatorApp.create(config, new SlowClock());
    app.start();
    System.out.println("child started");
    app.join();
  }

  /** The system clock, 1 ms slower per read. */
  static final class SlowClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      LockSupport.parkNanos(1_000_000);
      return Instant.now();
    }
  }
}
