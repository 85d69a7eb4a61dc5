package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.flinkjobs.detector.inference.EntityCombination;
import io.autonomic.flinkjobs.detector.inference.EntityModelScoring;
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
 * Per entity (the key): the dense autoencoder's raw error becomes a likelihood over the entity's recent errors and
 * the entity score becomes max(statistical, model) ({@link EntityCombination}). Windows without a model result
 * pass with their statistical score.
 */
public final class CombineEntityScoreFunction
    extends KeyedProcessFunction<String, EntityModelScoring, EntityModelScoring> {
  private static final long serialVersionUID = 1L;
  private final Duration stateTtl;
  private transient ValueState<EntityCombination> combination;
  private transient Counter modelDriven;

  public CombineEntityScoreFunction(Duration stateTtl) {
    this.stateTtl = stateTtl;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<EntityCombination> d = new ValueStateDescriptor<>("entity-model-errors",
        TypeInformation.of(EntityCombination.class));
    d.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl).build());
    combination = getRuntimeContext().getState(d);
    modelDriven = getRuntimeContext().getMetricGroup().counter("modelDrivenEntityWindows");
  }

  @Override
  public void processElement(EntityModelScoring s, Context ctx, Collector<EntityModelScoring> out)
      throws Exception {
    if (s.model != null && s.inferred()) {
      EntityCombination c = combination.value();
      if (c == null) {
        c = new EntityCombination();
      }
      double statistical = s.score == null ? 0 : s.score.score;
      double l = c.apply(s);
      if (l > statistical) {
        modelDriven.inc();
      }
      combination.update(c);
    }
    s.input = null; // not needed downstream
    out.collect(s);
  }
}
