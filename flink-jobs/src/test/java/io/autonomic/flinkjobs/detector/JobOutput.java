package io.autonomic.flinkjobs.detector;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.util.CloseableIterator;

/** What a running test job emits through {@code collectAsync}, gathered in the background for Awaitility. */
final class JobOutput {
  private JobOutput() {}

  /** Reads {@code iterator} on a daemon thread named {@code name} into the returned queue until the job ends. */
  static <T> Queue<T> collect(CloseableIterator<T> iterator, String name) {
    Queue<T> into = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      try {
        iterator.forEachRemaining(into::add);
      } catch (RuntimeException cancelled) {
        // the job was cancelled at the end of the test: nothing more to read
      }
    }, name);
    reader.setDaemon(true);
    reader.start();
    return into;
  }
}
