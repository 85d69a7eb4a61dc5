package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.AnomalyEvent;
import io.autonomic.flinkjobs.detector.anomaly.AnomalyEvents;
import io.autonomic.flinkjobs.detector.anomaly.EntityScoring;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.detector.inference.EntityModelScoring;
import java.time.Clock;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Scores each entity vector and emits an entity-level event (metric null) when it reaches the threshold. */
public final class EntityAnomalies implements FlatMapFunction<EntityVector, AnomalyEvent> {
  private static final long serialVersionUID = 1L;
  private final double threshold;
  private final int top;
  private final Clock clock;

  public EntityAnomalies(double threshold, int top, Clock clock) {
    this.threshold = threshold;
    this.top = top;
    this.clock = clock;
  }

  @Override
  public void flatMap(EntityVector v, Collector<AnomalyEvent> out) {
    emit(v, EntityScoring.score(v), threshold, top, clock, out);
  }

  static void emit(EntityVector v, WindowScore s, double threshold, int top, Clock clock,
      Collector<AnomalyEvent> out) {
    if (s != null && s.warmedUp && s.score >= threshold) {
      out.collect(AnomalyEvents.of(v.entityId, null, v.windowStart, v.windowEnd, s, threshold, top, v.tags,
          clock.instant()));
    }
  }

  /** The same for entity windows already scored by the model stage (score = max(statistical, model)). */
  public static final class Scored implements FlatMapFunction<EntityModelScoring, AnomalyEvent> {
    private static final long serialVersionUID = 1L;
    private final double threshold;
    private final int top;
    private final Clock clock;

    public Scored(double threshold, int top, Clock clock) {
      this.threshold = threshold;
      this.top = top;
      this.clock = clock;
    }

    @Override
    public void flatMap(EntityModelScoring s, Collector<AnomalyEvent> out) {
      emit(s.vector, s.score, threshold, top, clock, out);
    }
  }
}
