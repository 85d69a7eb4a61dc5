package io.autonomic.flinkjobs.detector;

import static io.autonomic.flinkjobs.detector.TestPoints.T0;
import static io.autonomic.flinkjobs.detector.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.avro.DeadLetter;
import io.autonomic.avro.MetricPoint;
import io.autonomic.flinkjobs.detector.Scenarios.Kind;
import io.autonomic.flinkjobs.detector.anomaly.ZScoreScorer;
import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.functions.LatePoints;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DetectorJobITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @Test
  void extractsFeaturesPerSeriesJoinsEntitiesAndSendsLatePointsToTheSideOutput() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    long t0 = T0.toEpochMilli();
    List<MetricPoint> input = List.of(
        point("h1", "cpu", t0, 1), point("h1", "mem", t0 + 10, 10), point("h1", "cpu", t0 + 30_000, 3),
        point("h2", "cpu", t0 + 59_999, 7),
        point("h1", "cpu", t0 + 70_000, 5), // moves the watermark past the first window's end (+5 s bound)
        point("h1", "cpu", t0 + 20_000, 99), // late: its window closed
        point("h1", "cpu", t0 + 130_000, 5)); // closes the second window
    DetectorOptions o = new DetectorOptions();
    o.outOfOrderness = Duration.ofSeconds(5);
    o.warmupWindows = 1;

    DetectorJob.Result r = DetectorJob.build(
        env.fromData(input).assignTimestampsAndWatermarks(TestPoints.perPointWatermarks(5_000)), o,
        ZScoreScorer::new, Clock.systemUTC());
    try (CloseableIterator<SeriesFeatures> features = r.features().collectAsync();
         CloseableIterator<DeadLetter> late = r.late().collectAsync();
         CloseableIterator<EntityVector> vectors = r.vectors().collectAsync()) {
      env.execute("features");
      List<SeriesFeatures> f = drain(features);
      f.sort(Comparator.comparing((SeriesFeatures s) -> s.entityId + s.metric).thenComparing(s -> s.windowStart));
      assertThat(f).extracting(s -> s.entityId + "/" + s.metric + "@" + (s.windowStart - t0) + ":" + s.count)
          .containsExactly("h1/cpu@0:2", "h1/cpu@60000:1", "h1/cpu@120000:1", "h1/mem@0:1", "h2/cpu@0:1");
      assertThat(f.get(0).mean).isEqualTo(2.0); // the late 99 is not in it
      assertThat(f.get(0).last).isEqualTo(3.0);

      assertThat(drain(late)).singleElement().satisfies(d -> {
        assertThat(d.getReason()).isEqualTo(LatePoints.REASON);
        assertThat(d.getSourceTopic()).isEqualTo("telemetry.metrics");
        assertThat(MetricPoint.getDecoder().decode(d.getValue()).getValue()).isEqualTo(99.0);
      });
      assertThat(drain(vectors)).filteredOn(v -> v.entityId.equals("h1") && v.windowStart == t0)
          .singleElement().satisfies(v -> assertThat(v.series).extracting(s -> s.metric)
              .containsExactly("cpu", "mem"));
    }
  }

  @Test
  void slidingWindowsPutEachPointIntoEveryWindowThatCoversIt() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    long t0 = T0.toEpochMilli();
    DetectorOptions o = new DetectorOptions();
    o.windowSize = Duration.ofSeconds(60);
    o.windowSlide = Duration.ofSeconds(30);
    o.outOfOrderness = Duration.ZERO;
    List<MetricPoint> input = List.of(point("h1", "cpu", t0 + 10_000, 1), point("h1", "cpu", t0 + 40_000, 3),
        point("h1", "cpu", t0 + 200_000, 0));

    List<SeriesFeatures> f = new ArrayList<>();
    DetectorJob.features(env.fromData(input).assignTimestampsAndWatermarks(TestPoints.perPointWatermarks(0)), o)
        .executeAndCollect().forEachRemaining(f::add);

    assertThat(f).filteredOn(s -> s.windowEnd <= t0 + 120_000)
        .extracting(s -> (s.windowStart - t0) + ".." + (s.windowEnd - t0) + ":" + s.count + "/" + s.mean)
        .containsExactlyInAnyOrder("-30000..30000:1/1.0", "0..60000:2/2.0", "30000..90000:1/3.0");
  }

  @Test
  void detectsInjectedAnomaliesAndStaysQuietOnCleanSeries() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    List<MetricPoint> input = new ArrayList<>();
    Map<String, Kind> entities = new TreeMap<>();
    int seed = 1;
    for (Kind kind : Kind.values()) {
      String entity = kind.name().toLowerCase().replace('_', '-');
      entities.put(entity, kind);
      input.addAll(Scenarios.entity(entity, kind, seed++));
    }
    input.sort(Comparator.comparing(MetricPoint::getEventTime));
    DetectorOptions o = new DetectorOptions();
    o.windowSize = Duration.ofMillis(Scenarios.WINDOW_MS);
    o.outOfOrderness = Duration.ZERO;

    o.threshold = 0.75;
    o.warmupWindows = 60; // the fake's running spread is unreliable in the first windows
    // a fixed z-score scorer, so this test checks the pipeline (features, windows, combination, events) and not
    // the tuning of the statistical detector, which DetectorKafkaITCase and docs/quality.md cover
    DetectorJob.Result r = DetectorJob.build(
        env.fromData(input).assignTimestampsAndWatermarks(TestPoints.perPointWatermarks(0)), o,
        ZScoreScorer::new, Clock.systemUTC());
    List<AnomalyEvent> anomalies;
    List<SeriesFeatures> scored;
    try (CloseableIterator<AnomalyEvent> it = r.anomalies().collectAsync();
         CloseableIterator<SeriesFeatures> features = r.features().collectAsync()) {
      env.execute("detect");
      anomalies = drain(it);
      scored = drain(features);
    }
    assertThat(scored).filteredOn(f -> f.entityId.equals("clean") && f.score.warmedUp)
        .allSatisfy(f -> assertThat(f.score.score).isLessThan(o.threshold));
    Map<String, List<String>> byEntity = anomalies.stream().collect(Collectors.groupingBy(
        AnomalyEvent::getEntityId, TreeMap::new, Collectors.mapping(e -> e.getMetric() + "@"
            + (e.getWindowStart().toEpochMilli() - Scenarios.ONSET_MS) / Scenarios.WINDOW_MS + "="
            + String.format("%.3f", e.getScore()), Collectors.toList())));
    assertThat(byEntity).as("anomalies by entity").doesNotContainKey("clean");
    for (String entity : List.of("spike", "level-shift", "frequency-change", "correlated-drift")) {
      List<AnomalyEvent> found = anomalies.stream().filter(e -> e.getEntityId().equals(entity)).toList();
      assertThat(found).as(entity).isNotEmpty();
      assertThat(found).as(entity + ": nothing before the onset")
          .allMatch(e -> e.getWindowEnd().toEpochMilli() > Scenarios.ONSET_MS);
      assertThat(found).as(entity + ": found within 60 windows")
          .anyMatch(e -> e.getWindowStart().toEpochMilli() < Scenarios.ONSET_MS + 60 * Scenarios.WINDOW_MS);
    }
  }

  static <T> List<T> drain(CloseableIterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
