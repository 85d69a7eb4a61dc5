package io.autonomic.flinkjobs.eval;

import io.autonomic.flinkjobs.detector.scoring.Score;
import io.autonomic.flinkjobs.detector.scoring.Scorers;
import io.autonomic.flinkjobs.detector.scoring.SeriesScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Backtesting on a NAB-format corpus. {@link #run} is the whole backtest in plain Java (one
 * scorer per file, rows in input order, no look-ahead); the streaming variant scores the same
 * rows with the same {@link SeriesScorer} in a bounded Flink job, writes the same output files
 * with {@link NabCsv#write} and then calls {@link #evaluate}.
 */
public final class Eval {

  private Eval() {}

  /** Every {@code *.csv} under {@code dataDir}, as sorted relative paths with '/' separators. */
  public static List<String> dataFiles(Path dataDir) throws IOException {
    try (Stream<Path> s = Files.walk(dataDir)) {
      return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv"))
          .map(p -> dataDir.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  /**
   * Scores the rows of one series in input order with a fresh scorer; rows with an unparseable
   * timestamp or value score 0 and do not reach the model.
   */
  public static double[] scoreSeries(List<NabCsv.Row> rows, SeriesScorer scorer) {
    double[] scores = new double[rows.size()];
    for (int i = 0; i < scores.length; i++) {
      NabCsv.Row r = rows.get(i);
      if (r.usable()) {
        Score s = scorer.update(r.timestampMillis(), r.value());
        scores[i] = s.likelihood();
      }
    }
    return scores;
  }

  /** Runs the backtest in-process: scores every file, writes OUT/<relative path>, scores NAB. */
  public static EvalReport run(Path dataDir, Path labelsFile, Path outDir, String detector)
      throws IOException {
    long start = System.currentTimeMillis();
    Scorers.create(detector); // validates the name before any work
    List<String> files = dataFiles(dataDir);
    files.parallelStream().forEach(rel -> {
      try {
        List<NabCsv.Row> rows = NabCsv.read(dataDir.resolve(rel));
        double[] scores = scoreSeries(rows, Scorers.create(detector));
        NabCsv.write(outDir.resolve(rel), rows, scores);
      } catch (IOException e) {
        throw new UncheckedIOException(dataDir.resolve(rel) + ": " + e.getMessage(), e);
      }
    });
    return evaluate(dataDir, labelsFile, outDir, detector, start);
  }

  /**
   * Scores the output files already written under {@code outDir} against the labels, as NAB
   * does (corpus-wide threshold per profile, normalised to the null and perfect detectors).
   */
  public static EvalReport evaluate(
      Path dataDir, Path labelsFile, Path outDir, String detector, long startMillis)
      throws IOException {
    NabLabels labels = NabLabels.load(labelsFile);
    List<String> files = dataFiles(dataDir);
    List<NabScorer.Series> corpus = new ArrayList<>();
    List<String> unlabeled = new ArrayList<>();
    long rowsTotal = 0;
    long unusable = 0;
    for (String rel : files) {
      List<NabCsv.Row> rows = NabCsv.read(dataDir.resolve(rel));
      rowsTotal += rows.size();
      unusable += rows.stream().filter(r -> !r.usable()).count();
      Optional<List<long[]>> windows = labels.windowsFor(rel);
      if (windows.isEmpty()) {
        unlabeled.add(rel);
        continue;
      }
      double[] scores = NabCsv.readScores(outDir.resolve(rel));
      if (scores.length != rows.size()) {
        throw new IOException(outDir.resolve(rel) + ": " + scores.length
            + " scores for " + rows.size() + " input rows");
      }
      long[] ts = rows.stream().mapToLong(NabCsv.Row::timestampMillis).toArray();
      corpus.add(new NabScorer.Series(rel, ts, scores, windows.get()));
    }
    List<NabScorer.ProfileResult> results = new ArrayList<>();
    for (NabProfile p : NabProfile.ALL) {
      results.add(NabScorer.score(corpus, p));
    }
    DetectionMetrics.Result metrics = DetectionMetrics.compute(corpus, results.get(0).threshold());
    return new EvalReport(detector, files.size(), corpus.size(), rowsTotal, unusable,
        List.copyOf(unlabeled), List.copyOf(results), metrics,
        System.currentTimeMillis() - startMillis);
  }

  /** Per-file raw NAB scores at a threshold, for diagnostics ("which files cost most"). */
  public static List<String> perFile(Path dataDir, Path labelsFile, Path outDir, double threshold,
      NabProfile profile) throws IOException {
    NabLabels labels = NabLabels.load(labelsFile);
    List<String> out = new ArrayList<>();
    for (String rel : dataFiles(dataDir)) {
      Optional<List<long[]>> windows = labels.windowsFor(rel);
      if (windows.isEmpty()) {
        continue;
      }
      List<NabCsv.Row> rows = NabCsv.read(dataDir.resolve(rel));
      long[] ts = rows.stream().mapToLong(NabCsv.Row::timestampMillis).toArray();
      NabScorer.Series s = new NabScorer.Series(rel, ts, NabCsv.readScores(outDir.resolve(rel)),
          windows.get());
      NabScorer.FileDetail d = NabScorer.fileDetail(s, profile, threshold);
      out.add(String.format(java.util.Locale.ROOT, "%8.3f  fp=%d (%.2f)  %s  %s",
          NabScorer.fileScore(s, profile, threshold), d.falsePositives(), d.falsePositiveCost(),
          rel, String.join(" ", d.windows())));
    }
    return out;
  }
}
