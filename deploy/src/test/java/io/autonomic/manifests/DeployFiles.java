package io.autonomic.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** Where the deploy files are: Surefire runs in deploy/, an IDE may run in the repository root. */
final class DeployFiles {
  private DeployFiles() {}

  /** The deploy/ directory. */
  static Path deployDir() {
    Path here = Paths.get("").toAbsolutePath();
    for (Path candidate : List.of(here, here.resolve("deploy"))) {
      if (Files.isDirectory(candidate.resolve("k8s")) && Files.isDirectory(candidate.resolve("compose"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no deploy/ directory (with k8s/ and compose/) at or under " + here);
  }

  /** The repository root (the build context of deploy/docker/Dockerfile). */
  static Path repoRoot() {
    return deployDir().getParent();
  }

  static Path resolve(String relativeToDeploy) {
    return deployDir().resolve(relativeToDeploy);
  }

  /** Every *.yaml / *.yml file under {@code dir}, sorted. */
  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
