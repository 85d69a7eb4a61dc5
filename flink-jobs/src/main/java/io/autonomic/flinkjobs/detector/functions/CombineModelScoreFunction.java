package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.inference.ModelCombination;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per series (the key): turns the model's raw error into a likelihood over the series' recent model errors and
 * combines it with the statistical score ({@link ModelCombination}: the larger one wins). Windows without a model
 * result pass unchanged.
 */
public final class CombineModelScoreFunction extends KeyedProcessFunction<String, ModelScoring, SeriesFeatures> {
  private static final long serialVersionUID = 1L;
  private final Duration stateTtl;
  private transient ValueState<ModelCombination> combination;
  private transient Counter modelDriven;

  public CombineModelScoreFunction(Duration stateTtl) {
    this.stateTtl = stateTtl;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<ModelCombination> d = new ValueStateDescriptor<>("model-errors",
        TypeInformation.of(ModelCombination.class));
    d.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl).build());
    combination = getRuntimeContext().getState(d);
    modelDriven = getRuntimeContext().getMetricGroup().counter("modelDrivenWindows");
  }

  @Override
  public void processElement(ModelScoring s, Context ctx, Collector<SeriesFeatures> out) throws Exception {
    if (s.model != null && s.inferred()) {
      ModelCombination c = combination.value();
      if (c == null) {
        c = new ModelCombination();
      }
      double statistical = s.window.score == null ? 0 : s.window.score.score;
      double l = c.apply(s);
      if (l > statistical) {
        modelDriven.inc();
      }
      combination.update(c);
    }
    out.collect(s.window);
  }
}
