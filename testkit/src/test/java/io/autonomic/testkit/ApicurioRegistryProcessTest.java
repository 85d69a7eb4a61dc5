package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryProcessTest {

    @Test
    void theBuildUnpackedTheDistributionWhereTheTestKitLooksForIt() {
        Path home = ApicurioRegistryProcess.distributionHome();

        assertThat(home.resolve("apicurio-registry-app-3.0.9-runner.jar")).isRegularFile();
        assertThat(home.resolve("lib")).isDirectory();
    }

    @Test
    void theCommandRunsTheRunnerJarWithHeapHostPortAndFileDatabase() {
        Path data = Path.of("/var/lib/autonomic/registry");

        List<String> cmd = ApicurioRegistryProcess.command(ApicurioRegistryProcess.Options.defaults()
                .withPort(18123).withDataDir(data).withSystemProperty("apicurio.ccompat.max-subjects", "50"));

        assertThat(cmd.get(0)).endsWith("/bin/java");
        assertThat(cmd).contains("-Xmx256m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=18123",
                "-Dapicurio.datasource.url=jdbc:h2:file:/var/lib/autonomic/registry/registry",
                "-Dapicurio.ccompat.max-subjects=50");
        assertThat(cmd.subList(cmd.size() - 2, cmd.size()))
                .containsExactly("-jar", ApicurioRegistryProcess.distributionHome()
                        .resolve("apicurio-registry-app-3.0.9-runner.jar").toAbsolutePath().toString());
    }

    @Test
    void withoutADataDirTheRegistryKeepsTheDistributionsInMemoryDatabase() {
        List<String> cmd = ApicurioRegistryProcess.command(ApicurioRegistryProcess.Options.defaults()
                .withHeap("-Xmx512m").withJvmOptions(List.of()));

        assertThat(cmd).noneMatch(arg -> arg.startsWith("-Dapicurio.datasource.url"));
        assertThat(cmd).contains("-Xmx512m", "-Dquarkus.http.port=0").doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void aMissingDistributionIsNamedInTheError(@TempDir Path empty) {
        String previous = System.getProperty(ApicurioDistribution.HOME_PROPERTY);
        System.setProperty(ApicurioDistribution.HOME_PROPERTY, empty.toString());
        try {
            assertThatThrownBy(ApicurioRegistryProcess::distributionHome)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Apicurio distribution not found at " + empty)
                    .hasMessageContaining("mvn -pl testkit package");
        } finally {
            if (previous == null) {
                System.clearProperty(ApicurioDistribution.HOME_PROPERTY);
            } else {
                System.setProperty(ApicurioDistribution.HOME_PROPERTY, previous);
            }
        }
    }

    @Test
    void optionsRejectAnImpossiblePort() {
        assertThatThrownBy(() -> ApicurioRegistryProcess.Options.defaults().withPort(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }
}
