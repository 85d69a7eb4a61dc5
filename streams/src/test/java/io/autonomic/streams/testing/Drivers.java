package io.autonomic.streams.testing;

import io.autonomic.streams.common.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** TopologyTestDriver set-up shared by the apps' tests. */
public final class Drivers {
  private Drivers() {}

  /** A fixed start instant so tests read as timelines. */
  public static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

  public static AvroSerdes serdes() {
    return AvroSerdes.using(new InMemorySchemaRegistry(), Map.of("schema.registry.url", "mock://streams-test"));
  }

  public static TopologyTestDriver driver(Topology topology) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-" + System.nanoTime());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    try {
      props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Files.createDirectories(Path.of("target", "ttd").toAbsolutePath()), "state").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new TopologyTestDriver(topology, props, T0);
  }

  public static Path tempDir() {
    try {
      return Files.createTempDirectory(Files.createDirectories(Path.of("target", "state").toAbsolutePath()), "app");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
