package io.autonomic.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka 4.x broker inside this JVM: Kafka's own {@link KafkaClusterTestKit} with a single
 * combined broker+controller node (KRaft), formatted at the latest <em>production</em> metadata
 * version and feature levels (the test kit defaults to the latest testing ones), with the replication
 * settings a one-node cluster needs for transactions and consumer groups.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** Broker settings on top of Kafka's defaults; {@link #start(Map)} can override each. */
    public static Map<String, String> defaultConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        // One node: internal topics with one replica, and small ones (fast creation on first use).
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        // Consumer groups join without the 3 s wait for more members.
        c.put("group.initial.rebalance.delay.ms", "0");
        // Small segments (1 MiB is the minimum) and a quick cleaner so compaction is observable in tests.
        c.put("log.segment.bytes", String.valueOf(1024 * 1024));
        c.put("log.cleaner.backoff.ms", "500");
        c.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        // Behave like a production broker: no unstable APIs or feature levels.
        c.put("unstable.api.versions.enable", "false");
        c.put("unstable.feature.versions.enable", "false");
        // Fewer threads on small machines.
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "2");
        c.put("background.threads", "2");
        return c;
    }

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Duration startupTime;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, Duration startupTime) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
        this.startupTime = startupTime;
    }

    /** Formats and starts a broker with {@link #defaultConfig()}. */
    public static EmbeddedKafkaBroker start() {
        return start(Map.of());
    }

    /** Formats and starts a broker with {@link #defaultConfig()} plus {@code overrides}; waits until it is ready. */
    public static EmbeddedKafkaBroker start(Map<String, String> overrides) {
        long t0 = System.nanoTime();
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream()
                .collect(Collectors.toMap(Feature::featureName, f -> f.defaultLevel(version)));
        BootstrapMetadata bootstrap = BootstrapMetadata.fromVersions(version, features, "autonomic-testkit");
        TestKitNodes nodes = new TestKitNodes.Builder(bootstrap)
                .setBootstrapMetadataVersion(version)
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
        Map<String, String> config = new LinkedHashMap<>(defaultConfig());
        config.putAll(overrides);
        config.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = null;
        try {
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not start the in-JVM Kafka broker: " + e, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster, took);
        LOG.info("Kafka broker (in-JVM, KRaft combined node, metadata version {}) ready at {} in {} ms",
                version, broker.bootstrapServers(), took.toMillis());
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How long {@link #start} took: format, start-up and waiting for the broker to be ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The underlying Kafka test kit, for what this class does not offer (e.g. controller access). */
    public KafkaClusterTestKit cluster() {
        return cluster;
    }

    @Override
    public void close() throws Exception {
        long t0 = System.nanoTime();
        cluster.close();
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers,
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }
}
