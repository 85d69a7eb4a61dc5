package io.autonomic.streams.testing;

import io.autonomic.config.Config;
import io.autonomic.config.ConfigLoader;
import io.autonomic.testkit.TestBroker;
import io.autonomic.testkit.TestRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Config of the apps against the test kit's broker and registry. */
public final class Stack {
  private Stack() {}

  public static Config config(TestBroker broker, TestRegistry registry, String... overrides) {
    List<String> all = new ArrayList<>(List.of(
        "kafka.bootstrap.servers=" + broker.bootstrapServers(),
        "registry.url=" + registry.ccompatUrl(),
        "streams.http.port=0",
        "streams.state.dir=" + Drivers.tempDir(),
        "streams.commit.interval=100ms"));
    all.addAll(List.of(overrides));
    return ConfigLoader.load(null, all, Map.of(), Map.of());
  }
}
