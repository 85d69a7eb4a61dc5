package io.autonomic.flinkjobs.detector.model;

import io.autonomic.avro.MetricPoint;
import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.features.FeatureAccumulator;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.model.Artifacts;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import io.autonomic.flinkjobs.model.Scaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a tiny LSTM autoencoder on a clean series' windows and writes it as the trainer would (model contract:
 * {@code <store>/lstm-autoencoder/<key>/v<version>.zip} written by ModelSerializer without updater, a ModelUpdate
 * with the features, sequence.length, scale.* and error.* calibration and the artifact's sha256).
 */
public final class ModelFixtures {
  public static final List<String> FEATURES = List.of("mean", "std", "min", "max");

  private ModelFixtures() {}

  /** The windows of one series (sorted points of that series), as the detector's feature step computes them. */
  public static List<SeriesFeatures> windows(List<MetricPoint> points, String entity, String metric,
      long windowMs) {
    TreeMap<Long, FeatureAccumulator> byWindow = new TreeMap<>();
    for (MetricPoint p : points) {
      if (p.getEntityId().equals(entity) && p.getMetric().equals(metric)) {
        long t = p.getEventTime().toEpochMilli();
        byWindow.computeIfAbsent(t - Math.floorMod(t, windowMs), w -> new FeatureAccumulator())
            .add(entity, metric, Map.of(), t, p.getValue());
      }
    }
    List<SeriesFeatures> out = new ArrayList<>();
    byWindow.forEach((start, acc) -> out.add(acc.toFeatures(start, start + windowMs)));
    return out;
  }

  /** Trains version {@code version} on {@code windows}, writes it under {@code store}, returns its announcement. */
  public static ModelUpdate train(Path store, String entity, String metric, List<SeriesFeatures> windows, int n,
      long version, int epochs, long seed) throws IOException {
    int f = FEATURES.size();
    List<String> names = Arrays.asList(SeriesFeatures.NAMES);
    double[][] x = new double[windows.size()][f];
    for (int w = 0; w < windows.size(); w++) {
      double[] v = windows.get(w).values();
      for (int i = 0; i < f; i++) {
        x[w][i] = v[names.indexOf(FEATURES.get(i))];
      }
    }
    Map<String, Double> calibration = new HashMap<>();
    calibration.put("sequence.length", (double) n);
    double[] mean = new double[f];
    double[] std = new double[f];
    for (int i = 0; i < f; i++) {
      final int fi = i;
      mean[i] = Arrays.stream(x).mapToDouble(r -> r[fi]).average().orElse(0);
      std[i] = Math.max(1e-9, Math.sqrt(Arrays.stream(x).mapToDouble(r -> (r[fi] - mean[fi]) * (r[fi] - mean[fi]))
          .sum() / Math.max(1, x.length - 1)));
      calibration.put("scale.mean." + FEATURES.get(i), mean[i]);
      calibration.put("scale.std." + FEATURES.get(i), std[i]);
    }
    int sequences = windows.size() - n + 1;
    float[] flat = new float[sequences * f * n];
    for (int s = 0; s < sequences; s++) {
      for (int i = 0; i < f; i++) {
        for (int t = 0; t < n; t++) {
          double z = (x[s + t][i] - mean[i]) / std[i];
          flat[s * f * n + i * n + t] = (float) Math.max(-Scaling.CLAMP, Math.min(Scaling.CLAMP, z));
        }
      }
    }
    Nd4jRuntime.init(); // one ND4J thread: on 2 busy cores, training with the default pools took minutes
    INDArray input = Nd4j.create(flat, new long[] {sequences, f, n}, 'c').castTo(DataType.FLOAT);
    MultiLayerNetwork net = TinyLstmAutoencoder.create(f, n, 16, seed);
    TinyLstmAutoencoder.train(net, input, epochs);
    INDArray out = net.output(input);
    double[] errors = out.sub(input).muli(out.sub(input)).reshape(sequences, (long) f * n).mean(1)
        .toDoubleVector();
    double[] sorted = errors.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    double[] dev = Arrays.stream(errors).map(e -> Math.abs(e - median)).sorted().toArray();
    calibration.put("error.median", median);
    calibration.put("error.mad", dev[dev.length / 2]);
    calibration.put("error.p99", sorted[(int) Math.min(sorted.length - 1, Math.round(0.99 * sorted.length))]);

    String key = ModelSpec.lstmKey(entity, metric);
    Path dir = store.resolve(ModelSpec.LSTM_AUTOENCODER).resolve(key.replaceAll("[^A-Za-z0-9._-]", "_"));
    Files.createDirectories(dir);
    Path zip = dir.resolve("v" + version + ".zip");
    ModelSerializer.writeModel(net, zip.toFile(), false);
    return ModelUpdate.newBuilder()
        .setModelKey(key)
        .setVersion(version)
        .setKind(ModelSpec.LSTM_AUTOENCODER)
        .setArtifactUri(zip.toAbsolutePath().toUri().toString())
        .setSha256(Artifacts.sha256(Files.readAllBytes(zip)))
        .setFeatures(FEATURES)
        .setCalibration(calibration)
        .setTrainedFrom(Instant.ofEpochMilli(windows.get(0).windowStart))
        .setTrainedTo(Instant.ofEpochMilli(windows.get(windows.size() - 1).windowEnd))
        .setCreatedAt(Instant.now())
        .build();
  }

  /** The same announcement for a copy of the artifact with one byte changed: its sha256 no longer matches. */
  public static ModelUpdate corrupted(ModelUpdate good, long version) throws IOException {
    Path original = Path.of(java.net.URI.create(good.getArtifactUri()));
    Path bad = original.resolveSibling("v" + version + ".zip");
    byte[] bytes = Files.readAllBytes(original);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(bad, bytes);
    return ModelUpdate.newBuilder(good).setVersion(version).setArtifactUri(bad.toUri().toString()).build();
  }
}
