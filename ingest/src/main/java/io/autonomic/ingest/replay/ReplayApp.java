package io.autonomic.ingest.replay;

import io.autonomic.config.ClientOptions;
import io.autonomic.config.Config;
import io.autonomic.ingest.IngestOptions;
import io.autonomic.ingest.delivery.DeliveryMetrics;
import io.autonomic.ingest.delivery.ProducerSettings;
import io.autonomic.ingest.delivery.ReliablePublisher;
import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.registry.AvroSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Builds the publisher for {@code ./autonomic replay} and replays one file through it. */
public final class ReplayApp {
  private ReplayApp() {}

  /** What a replay did: points read from the file and acknowledged by Kafka (the rest stays spooled). */
  public record Result(long published, long sent, long spooled) {}

  public static Result run(Config config, Path file, CsvReplay.Settings settings) throws IOException,
      MalformedTelemetryException, InterruptedException {
    config.validate(IngestOptions.all(), java.util.List.of(ClientOptions.KAFKA));
    AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
    serializer.configure(ClientOptions.registryProperties(config), false);
    DeliveryMetrics metrics = new DeliveryMetrics(new SimpleMeterRegistry());
    var props = ProducerSettings.properties(config, "autonomic-replay");
    ReliablePublisher publisher = new ReliablePublisher(() -> new KafkaProducer<>(props), serializer,
        Path.of(config.get(IngestOptions.SPOOL_DIR)).resolve("replay"),
        config.get(IngestOptions.SPOOL_MAX_MB) * 1024L * 1024L, config.get(IngestOptions.SPOOL_SEGMENT_MB) * 1024L * 1024L,
        metrics, new ReliablePublisher.Settings(config.get(IngestOptions.MEMORY_POINTS),
            config.get(IngestOptions.MAX_IN_FLIGHT), Duration.ofSeconds(60)));
    long published;
    try {
      published = new CsvReplay(publisher, Thread::sleep).replay(file, settings);
    } finally {
      publisher.close();
    }
    return new Result(published, metrics.total(DeliveryMetrics.SENT), publisher.spoolPoints());
  }
}
