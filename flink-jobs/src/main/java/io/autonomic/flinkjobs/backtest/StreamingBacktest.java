package io.autonomic.flinkjobs.backtest;

import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.DetectorJob;
import io.autonomic.flinkjobs.detector.DetectorOptions;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.eval.Eval;
import io.autonomic.flinkjobs.eval.EvalReport;
import io.autonomic.flinkjobs.eval.NabCsv;
import io.autonomic.flinkjobs.detector.scoring.Scorers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The NAB backtest as a bounded Flink execution of the detector pipeline itself ({@link DetectorJob#build}):
 * every CSV becomes one series (entity = the file's relative path), each row its own one-millisecond event-time
 * window, scored on its {@code mean} (the row's value) by the configured statistical detector. The scores go to
 * {@code OUT/<relative path>} in NAB's format and part A's {@link Eval#evaluate} scores them against the labels.
 *
 * <p>The rows of all files are merged in event-time order before the source, so one watermark serves every file
 * without making the later-starting files late. Rows that do not parse score 0 and never reach the pipeline.
 */
public final class StreamingBacktest {
  static final String METRIC = "value";

  private StreamingBacktest() {}

  public static EvalReport run(StreamExecutionEnvironment env, Path dataDir, Path labelsFile, Path outDir,
      String detector) throws Exception {
    long start = System.currentTimeMillis();
    Scorers.create(detector); // validates the name before any work
    Map<String, List<NabCsv.Row>> files = new LinkedHashMap<>();
    List<MetricPoint> points = new ArrayList<>();
    for (String rel : Eval.dataFiles(dataDir)) {
      List<NabCsv.Row> rows = NabCsv.read(dataDir.resolve(rel));
      files.put(rel, rows);
      for (NabCsv.Row r : rows) {
        if (r.usable()) {
          points.add(MetricPoint.newBuilder().setEntityId(rel).setMetric(METRIC).setValue(r.value())
              .setEventTime(Instant.ofEpochMilli(r.timestampMillis())).setTags(Map.of()).build());
        }
      }
    }
    points.sort(Comparator.comparing(MetricPoint::getEventTime));

    DetectorOptions o = new DetectorOptions();
    o.scorer = detector;
    o.windowSize = Duration.ofMillis(1);
    o.outOfOrderness = Duration.ZERO;
    o.warmupWindows = 1; // NAB's probationary period covers the warm-up
    o.scoredFeatures = List.of("mean");
    o.entityScoring = false;
    env.setParallelism(1);
    DetectorJob.Result r = DetectorJob.build(env.fromData(points).assignTimestampsAndWatermarks(
        WatermarkStrategy.<MetricPoint>forMonotonousTimestamps()
            .withTimestampAssigner((p, ts) -> p.getEventTime().toEpochMilli())), o,
        DetectorJob.defaultScorers(o), Clock.systemUTC());

    Map<String, Map<Long, Double>> scores = new HashMap<>();
    try (CloseableIterator<SeriesFeatures> it = r.features().collectAsync()) {
      env.execute("autonomic-eval");
      it.forEachRemaining(f -> scores.computeIfAbsent(f.entityId, k -> new HashMap<>())
          .put(f.windowStart, f.score == null || !f.score.warmedUp ? 0.0 : f.score.score));
    }
    for (Map.Entry<String, List<NabCsv.Row>> file : files.entrySet()) {
      Map<Long, Double> byTime = scores.getOrDefault(file.getKey(), Map.of());
      List<NabCsv.Row> rows = file.getValue();
      double[] s = new double[rows.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = rows.get(i).usable() ? byTime.getOrDefault(rows.get(i).timestampMillis(), 0.0) : 0.0;
      }
      write(outDir.resolve(file.getKey()), rows, s);
    }
    return Eval.evaluate(dataDir, labelsFile, outDir, detector, start);
  }

  private static void write(Path file, List<NabCsv.Row> rows, double[] scores) throws IOException {
    NabCsv.write(file, rows, scores);
  }
}
