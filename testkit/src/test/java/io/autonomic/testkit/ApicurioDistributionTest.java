package io.autonomic.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioDistributionTest {

    @TempDir
    Path dir;

    @Test
    void aCleanedBuildFallsBackToUnpackingTheArchiveOnceIntoACache() throws IOException {
        Path archive = tarGz(Map.of("app-1.0-runner.jar", "runner", "lib/dep.jar", "dep"));
        Path cache = dir.resolve("cache/apicurio");

        Path first = ApicurioDistribution.unpackOnce(archive, cache).orElseThrow();
        Files.writeString(cache.resolve("marker"), "kept");
        Path second = ApicurioDistribution.unpackOnce(archive, cache).orElseThrow();

        assertThat(first).isEqualTo(cache).isEqualTo(second);
        assertThat(cache.resolve("lib/dep.jar")).hasContent("dep");
        assertThat(cache.resolve("marker")).as("not unpacked again").hasContent("kept");
        assertThat(Files.list(cache.getParent())).as("no staging directory left").containsExactly(cache);
    }

    @Test
    void anArchiveEntryOutsideTheTargetIsRefused() throws IOException {
        Path archive = tarGz(Map.of("../escaped.txt", "x"));

        assertThatThrownBy(() -> ApicurioDistribution.untarGz(archive, dir.resolve("out")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("outside the target directory");
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
    }

    private Path tarGz(Map<String, String> files) throws IOException {
        Path archive = Files.createTempFile(dir, "dist", ".tar.gz");
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }
}
