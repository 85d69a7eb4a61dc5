package io.autonomic.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the unpacked Apicurio Registry distribution (see {@link ApicurioRegistryProcess#distributionHome()}). */
final class ApicurioDistribution {

    static final String HOME_PROPERTY = "autonomic.apicurio.home";
    static final String HOME_ENV = "AUTONOMIC_APICURIO_HOME";
    static final String BUILD_PROPERTIES = "autonomic-testkit.properties";

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioDistribution.class);

    private ApicurioDistribution() {
    }

    static Path home() {
        String override = System.getProperty(HOME_PROPERTY);
        String source = "system property " + HOME_PROPERTY;
        if (override == null || override.isBlank()) {
            override = System.getenv(HOME_ENV);
            source = "environment variable " + HOME_ENV;
        }
        if (override != null && !override.isBlank()) {
            Path home = Path.of(override.trim()).toAbsolutePath().normalize();
            if (runnerJar(home).isEmpty()) {
                throw new IllegalStateException("Apicurio distribution not found at " + home + " (from " + source
                        + "): no *-runner.jar there. Point it at an unpacked apicurio-registry-app-"
                        + buildProperty("apicurio.version", "<version>") + "-all.tar.gz, or unset it and run"
                        + " mvn -pl testkit package");
            }
            return home;
        }
        String configured = buildProperty("apicurio.home", null);
        if (configured != null) {
            Path home = Path.of(configured);
            if (runnerJar(home).isPresent()) {
                return home;
            }
        }
        // target/ was cleaned since this jar was built: unpack the tar.gz Maven fetched into a cache.
        Optional<Path> fromRepository = unpackFromLocalRepository();
        if (fromRepository.isPresent()) {
            return fromRepository.get();
        }
        throw new IllegalStateException("Apicurio distribution not found at "
                + (configured == null ? "(no " + BUILD_PROPERTIES + " on the classpath)" : configured)
                + ": run mvn -pl testkit package (or set " + HOME_ENV + " to an unpacked distribution)");
    }

    static Optional<Path> runnerJar(Path home) {
        if (!Files.isDirectory(home)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(home, "*-runner.jar")) {
            for (Path jar : jars) {
                return Optional.of(jar);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String buildProperty(String key, String fallback) {
        try (InputStream in = ApicurioDistribution.class.getClassLoader().getResourceAsStream(BUILD_PROPERTIES)) {
            if (in == null) {
                return fallback;
            }
            Properties p = new Properties();
            p.load(in);
            String value = p.getProperty(key);
            return value == null || value.isBlank() || value.startsWith("${") ? fallback : value.trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + BUILD_PROPERTIES, e);
        }
    }

    private static Optional<Path> unpackFromLocalRepository() {
        String version = buildProperty("apicurio.version", null);
        if (version == null) {
            return Optional.empty();
        }
        String repo = System.getProperty("maven.repo.local");
        Path repository = repo == null || repo.isBlank()
                ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                : Path.of(repo);
        Path archive = repository.resolve(Path.of("io", "apicurio", "apicurio-registry-app", version,
                "apicurio-registry-app-" + version + "-all.tar.gz"));
        if (!Files.isRegularFile(archive)) {
            return Optional.empty();
        }
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "autonomic-apicurio-registry-" + version);
        return unpackOnce(archive, target);
    }

    /**
     * Unpacks {@code archive} into {@code target} unless a distribution is already there. Safe when
     * several JVMs race: each unpacks into its own staging directory, and one rename wins.
     */
    static Optional<Path> unpackOnce(Path archive, Path target) {
        if (runnerJar(target).isPresent()) {
            return Optional.of(target);
        }
        LOG.info("Unpacking {} into {}", archive, target);
        Path staging = null;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            staging = Files.createTempDirectory(target.toAbsolutePath().getParent(), target.getFileName() + ".unpacking-");
            untarGz(archive, staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                staging = null;
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another JVM got there first (or a leftover directory is in the way): use it if complete.
            } catch (IOException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return runnerJar(target).map(jar -> target);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack " + archive + " into " + target, e);
        } finally {
            if (staging != null) {
                deleteRecursively(staging);
            }
        }
    }

    static void untarGz(Path archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (InputStream file = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new GZIPInputStream(new BufferedInputStream(file, 1 << 16), 1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("Archive entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
