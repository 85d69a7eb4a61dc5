package io.autonomic.stack;

import java.util.Map;

/** The answer of {@code ./autonomic status}. */
public record StackStatus(StackState state, boolean kafkaHealthy, boolean registryHealthy,
    Map<String, Integer> topicPartitions) {

  static StackStatus notStarted(StackLayout layout) {
    return new StackStatus(new StackState(-1, layout.bootstrapServers(), -1, layout.registryUrl()), false,
        false, Map.of());
  }

  public boolean healthy() {
    return kafkaHealthy && registryHealthy;
  }
}
