package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

class NoDockerSkipsContainerVariantITCase {

    private static final String REASON = "Testcontainers variant skipped; the in-JVM broker covers these tests";

    @Test
    void withoutDockerTheContainerTestClassIsSkippedWithTheReasonNeverFailed() {
        Assumptions.assumeFalse(TestcontainersKafkaExtension.dockerProblem().isEmpty(),
                "Docker is available here: DockerKafkaBrokerITCase runs for real");

        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(DockerKafkaBrokerITCase.class))
                .execute();

        results.allEvents().assertStatistics(stats -> stats.failed(0).aborted(0));
        results.testEvents().assertStatistics(stats -> stats.started(0));
        results.containerEvents().assertStatistics(stats -> stats.skipped(1));
        String reason = results.containerEvents().skipped().list().get(0).getRequiredPayload(String.class);
        assertThat(reason).startsWith("Docker is not available (").endsWith(REASON);
    }

    @Test
    void askingForTheContainerBrokerWithoutDockerAbortsRatherThanFails() {
        Assumptions.assumeFalse(TestcontainersKafkaExtension.dockerProblem().isEmpty(),
                "Docker is available here: DockerKafkaBrokerITCase runs for real");

        assertThatThrownBy(TestcontainersKafkaExtension::requireDocker)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining(REASON);
    }
}
