package io.autonomic.flinkjobs.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.autonomic.avro.ModelUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The model store of the contract: {@code <root>/<kind>/<sanitized modelKey>/v<version>.zip} (ModelSerializer,
 * no updater) with a sibling {@code v<version>.json} (the ModelUpdate as JSON plus training metadata). Versions
 * increase per key (the next is one above the highest on disk); the newest {@code keep} versions of a key are kept.
 * The zip is written first and the json last, each through a temporary file and a move, so a listed version is
 * always complete. One writer per store directory.
 */
public final class ModelStore {
  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.json");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;
  private final int keep;

  public ModelStore(Path root, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1");
    }
    this.root = root.toAbsolutePath().normalize();
    this.keep = keep;
  }

  public Path root() {
    return root;
  }

  /**
   * The directory of a key: the key URL-encoded (so '/' and any other character map to a distinct, safe name).
   */
  public Path directory(ModelKind kind, String modelKey) {
    return root.resolve(kind.kindName()).resolve(URLEncoder.encode(modelKey, StandardCharsets.UTF_8));
  }

  /** Writes the next version of the model, then drops versions beyond the newest {@code keep}. */
  public StoredModel save(TrainedModel model, Instant createdAt) {
    try {
      Path dir = directory(model.kind(), model.modelKey());
      Files.createDirectories(dir);
      long version = versions(dir).keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
      Path zip = dir.resolve("v" + version + ".zip");
      Path tmp = dir.resolve(".v" + version + ".zip.tmp");
      ModelSerializer.writeModel(model.net(), tmp.toFile(), false);
      move(tmp, zip);
      ModelUpdate update = ModelUpdate.newBuilder()
          .setModelKey(model.modelKey())
          .setVersion(version)
          .setKind(model.kind().kindName())
          .setArtifactUri(zip.toUri().toString())
          .setSha256(Artifacts.sha256(zip))
          .setFeatures(List.copyOf(model.features()))
          .setCalibration(new LinkedHashMap<>(model.calibration()))
          .setTrainedFrom(Instant.ofEpochMilli(model.trainedFrom()))
          .setTrainedTo(Instant.ofEpochMilli(model.trainedTo()))
          .setCreatedAt(createdAt)
          .build();
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("windows", model.windows());
      training.put("samples", model.samples());
      training.put("epochs", model.epochs());
      training.put("finalLoss", finite(model.finalLoss()));
      training.put("validationLoss", finite(model.validationLoss()));
      training.put("trainingMillis", model.trainingMillis());
      Path json = dir.resolve("v" + version + ".json");
      Path jsonTmp = dir.resolve(".v" + version + ".json.tmp");
      JSON.writeValue(jsonTmp.toFile(), toJson(update, training));
      move(jsonTmp, json);
      prune(dir);
      return new StoredModel(update, zip, json, training);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store " + model.modelKey() + " under " + root + ": " + e.getMessage(), e);
    }
  }

  /** Every stored version of every key, oldest first per key. */
  public List<StoredModel> all() {
    List<StoredModel> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(root, 3)) {
      List<Path> jsons = files.filter(p -> VERSION_FILE.matcher(p.getFileName().toString()).matches()).sorted(
          Comparator.comparing((Path p) -> p.getParent().toString()).thenComparingLong(ModelStore::versionOf))
          .toList();
      for (Path json : jsons) {
        out.add(read(json));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The newest version of each key, sorted by key. */
  public List<StoredModel> latest() {
    Map<String, StoredModel> latest = new TreeMap<>();
    for (StoredModel m : all()) {
      latest.merge(m.modelKey(), m, (a, b) -> b.version() > a.version() ? b : a);
    }
    return List.copyOf(latest.values());
  }

  /** The newest version of one key. */
  public Optional<StoredModel> latest(ModelKind kind, String modelKey) {
    Path dir = directory(kind, modelKey);
    return versions(dir).entrySet().stream().max(Map.Entry.comparingByKey()).map(e -> read(e.getValue()));
  }

  /** Loads the network of an announced version after checking its sha256; throws if it does not match. */
  public static MultiLayerNetwork load(ModelUpdate update) throws IOException {
    return Artifacts.load(update.getArtifactUri(), update.getSha256());
  }

  private void prune(Path dir) throws IOException {
    TreeMap<Long, Path> versions = versions(dir);
    while (versions.size() > keep) {
      Map.Entry<Long, Path> oldest = versions.pollFirstEntry();
      Files.deleteIfExists(oldest.getValue());
      Files.deleteIfExists(dir.resolve("v" + oldest.getKey() + ".zip"));
    }
  }

  private static TreeMap<Long, Path> versions(Path dir) {
    TreeMap<Long, Path> versions = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return versions;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> {
        Matcher m = VERSION_FILE.matcher(p.getFileName().toString());
        if (m.matches()) {
          versions.put(Long.parseLong(m.group(1)), p);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return versions;
  }

  private static long versionOf(Path json) {
    Matcher m = VERSION_FILE.matcher(json.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static Map<String, Object> toJson(ModelUpdate u, Map<String, Object> training) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("modelKey", u.getModelKey());
    m.put("kind", u.getKind());
    m.put("version", u.getVersion());
    m.put("artifactUri", u.getArtifactUri());
    m.put("sha256", u.getSha256());
    m.put("features", u.getFeatures());
    m.put("calibration", u.getCalibration());
    m.put("trainedFrom", u.getTrainedFrom().toString());
    m.put("trainedTo", u.getTrainedTo().toString());
    m.put("createdAt", u.getCreatedAt().toString());
    m.put("training", training);
    return m;
  }

  @SuppressWarnings("unchecked")
  static StoredModel read(Path json) {
    try {
      Map<String, Object> m = JSON.readValue(json.toFile(), new TypeReference<Map<String, Object>>() {});
      Map<String, Double> calibration = new LinkedHashMap<>();
      ((Map<String, Object>) m.get("calibration")).forEach((k, v) -> calibration.put(k, ((Number) v).doubleValue()));
      ModelUpdate u = ModelUpdate.newBuilder()
          .setModelKey((String) m.get("modelKey"))
          .setVersion(((Number) m.get("version")).longValue())
          .setKind((String) m.get("kind"))
          .setArtifactUri((String) m.get("artifactUri"))
          .setSha256((String) m.get("sha256"))
          .setFeatures(new ArrayList<>((List<String>) m.get("features")))
          .setCalibration(new LinkedHashMap<>(calibration))
          .setTrainedFrom(Instant.parse((String) m.get("trainedFrom")))
          .setTrainedTo(Instant.parse((String) m.get("trainedTo")))
          .setCreatedAt(Instant.parse((String) m.get("createdAt")))
          .build();
      Path zip = Paths.get(URI.create(u.getArtifactUri()));
      Map<String, Object> training = (Map<String, Object>) m.getOrDefault("training", Map.of());
      return new StoredModel(u, zip, json, training);
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot read model metadata " + json + ": " + e.getMessage(), e));
    }
  }
}
