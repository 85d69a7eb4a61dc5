package io.autonomic.flinkjobs.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
  /** A request: its model and its number. */
  record Req(String model, int n) {}

  private final Queue<List<Integer>> runs = new ConcurrentLinkedQueue<>();
  private final Queue<Integer> failed = new ConcurrentLinkedQueue<>();

  private MicroBatcher<String, Req> batcher(int size, Duration delay) {
    return new MicroBatcher<>("test-batcher", size, delay, Req::model, (model, batch) -> {
      if (model.equals("broken")) {
        throw new IllegalStateException("cannot run " + model);
      }
      runs.add(batch.stream().map(Req::n).toList());
    }, (batch, error) -> batch.forEach(r -> failed.add(r.n())));
  }

  @Test
  void aFullBatchRunsAtOnceWithoutWaitingForTheDelay() throws Exception {
    try (MicroBatcher<String, Req> b = batcher(4, Duration.ofHours(1))) {
      for (int i = 0; i < 8; i++) {
        b.submit(new Req("m", i));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 2);
      assertThat(runs).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7));
      assertThat(b.batches()).isEqualTo(2);
      assertThat(b.requests()).isEqualTo(8);
    }
  }

  @Test
  void aPartialBatchRunsAfterTheMaxDelay() throws Exception {
    try (MicroBatcher<String, Req> b = batcher(100, Duration.ofMillis(20))) {
      b.submit(new Req("m", 1));
      b.submit(new Req("m", 2));
      await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
      assertThat(runs).containsExactly(List.of(1, 2));
    }
  }

  @Test
  void aBatchIsSplitByModelKeepingArrivalOrderWithinEach() throws Exception {
    try (MicroBatcher<String, Req> b = batcher(4, Duration.ofHours(1))) {
      b.submit(new Req("a", 1));
      b.submit(new Req("b", 2));
      b.submit(new Req("a", 3));
      b.submit(new Req("b", 4));
      await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 2);
      assertThat(runs).containsExactly(List.of(1, 3), List.of(2, 4));
    }
  }

  @Test
  void aFailingModelFailsOnlyItsOwnRequests() throws Exception {
    try (MicroBatcher<String, Req> b = batcher(3, Duration.ofHours(1))) {
      b.submit(new Req("broken", 1));
      b.submit(new Req("m", 2));
      b.submit(new Req("broken", 3));
      await().atMost(Duration.ofSeconds(10)).until(() -> failed.size() == 2 && runs.size() == 1);
      assertThat(failed).containsExactly(1, 3);
      assertThat(runs).containsExactly(List.of(2));
    }
  }

  @Test
  void requestsAfterCloseFailInsteadOfHanging() throws Exception {
    MicroBatcher<String, Req> b = batcher(3, Duration.ofMillis(10));
    b.close();
    b.submit(new Req("m", 9));
    assertThat(failed).containsExactly(9);
  }
}
