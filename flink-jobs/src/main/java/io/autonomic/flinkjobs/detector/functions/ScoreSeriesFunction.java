package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.flinkjobs.detector.anomaly.FeatureScorers;
import io.autonomic.flinkjobs.detector.anomaly.ScorerFactory;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Scores each window of one series (the key) with the series' {@link FeatureScorers}, kept in keyed state so the
 * baselines survive restarts, and passes the features on with their score. A series that sends nothing for
 * {@code stateTtl} loses its baseline (state TTL), so departed entities do not leak state.
 */
public final class ScoreSeriesFunction extends KeyedProcessFunction<String, SeriesFeatures, SeriesFeatures> {
  private static final long serialVersionUID = 1L;
  private final String[] scored;
  private final int[] indexes;
  private final ScorerFactory factory;
  private final int warmupWindows;
  private final Duration stateTtl;
  private transient ValueState<FeatureScorers> scorers;
  private transient Counter windowsScored;

  /** Scores the features named in {@code scoredFeatures} (names of {@link SeriesFeatures#NAMES}). */
  public ScoreSeriesFunction(List<String> scoredFeatures, ScorerFactory factory, int warmupWindows,
      Duration stateTtl) {
    this.scored = scoredFeatures.toArray(String[]::new);
    List<String> names = Arrays.asList(SeriesFeatures.NAMES);
    this.indexes = scoredFeatures.stream().mapToInt(names::indexOf).toArray();
    this.factory = factory;
    this.warmupWindows = warmupWindows;
    this.stateTtl = stateTtl;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<FeatureScorers> descriptor = new ValueStateDescriptor<>("feature-scorers",
        TypeInformation.of(FeatureScorers.class));
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl).build());
    scorers = getRuntimeContext().getState(descriptor);
    windowsScored = getRuntimeContext().getMetricGroup().counter("windowsScored");
  }

  @Override
  public void processElement(SeriesFeatures f, Context ctx, Collector<SeriesFeatures> out) throws Exception {
    FeatureScorers state = scorers.value();
    if (state == null) {
      state = new FeatureScorers();
    }
    double[] all = f.values();
    double[] values = new double[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      values[i] = all[indexes[i]];
    }
    f.score = state.score(factory, warmupWindows, f.windowEnd, scored, values);
    scorers.update(state);
    windowsScored.inc();
    out.collect(f);
  }
}
