package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryProcessITCase {

    private static final Duration READY = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aRegistryWithADataDirKeepsItsSchemasAcrossRestarts() {
        Path data = dir.resolve("data");
        ApicurioRegistryProcess.Options options = ApicurioRegistryProcess.Options.defaults()
                .withDataDir(data).withLogFile(dir.resolve("registry.log"));
        String subject = UniqueNames.next("persisted") + "-value";
        int id;
        long firstPid;
        try (ApicurioRegistryProcess first = ApicurioRegistryProcess.start(options)) {
            first.awaitReady(READY);
            firstPid = first.pid();
            assertThat(first.isReady()).isTrue();
            assertThat(first.ccompatUrl()).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
            id = new HttpTestRegistry(first.baseUrl(), false).registerAvroSchema(subject, "{\"type\":\"string\"}");
            assertThat(ApicurioRegistryProcess.attach(firstPid, first.baseUrl(), first.logFile()))
                    .hasValueSatisfying(attached -> assertThat(attached.isReady()).isTrue());
        }
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).as("stopped by close()").isEmpty();
        assertThat(data.resolve("registry.mv.db")).isRegularFile();

        try (ApicurioRegistryProcess second = ApicurioRegistryProcess.start(options)) {
            second.awaitReady(READY);
            HttpTestRegistry registry = new HttpTestRegistry(second.baseUrl(), false);

            assertThat(registry.get("/subjects")).contains("\"" + subject + "\"");
            assertThat(registry.get("/subjects/" + subject + "/versions/latest")).contains("\"id\":" + id);
        }
    }

    @Test
    void awaitReadyReportsTheExitAndTheLogWhenTheRegistryCannotStart() throws Exception {
        Path log = dir.resolve("failing.log");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ApicurioRegistryProcess registry = ApicurioRegistryProcess.start(ApicurioRegistryProcess.Options.defaults()
                     .withPort(taken.getLocalPort()).withLogFile(log))) {

            assertThatThrownBy(() -> registry.awaitReady(READY))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code")
                    .hasMessageContaining("before it was ready")
                    .hasMessageContaining(log.toString())
                    .hasMessageContaining("Port " + taken.getLocalPort() + " seems to be in use"); // from the log
            assertThat(registry.isAlive()).isFalse();
            assertThat(Files.size(log)).isPositive();
        }
    }

    @Test
    void awaitReadyTimesOutWithTheLastLogLines() {
        Path log = dir.resolve("slow.log");
        try (ApicurioRegistryProcess registry = ApicurioRegistryProcess.start(
                ApicurioRegistryProcess.Options.defaults().withLogFile(log))) {

            assertThatThrownBy(() -> registry.awaitReady(Duration.ofMillis(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not ready at " + registry.baseUrl() + "/health/ready within PT0.001S")
                    .hasMessageContaining("log " + log);
            assertThat(registry.isAlive()).isTrue();
        }
    }
}
