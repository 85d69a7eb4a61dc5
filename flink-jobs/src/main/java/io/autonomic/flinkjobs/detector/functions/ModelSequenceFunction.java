package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.features.SeriesFeatures;
import io.autonomic.flinkjobs.detector.inference.ModelAcceptance;
import io.autonomic.flinkjobs.detector.inference.ModelScoring;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import io.autonomic.flinkjobs.detector.inference.SeriesHistory;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each series' last windows (keyed state) and the models (broadcast state: the newest accepted version per
 * model key, part of every checkpoint, so a restart keeps the models without re-reading the topic), and turns each
 * window of a series that has a model into a scoring request with the scaled {@code [F, N]} sequence.
 *
 * <p>A model update is accepted only when it is newer than the running version, well-formed, and its artifact's
 * SHA-256 matches and it loads (through the per-JVM {@link io.autonomic.flinkjobs.detector.inference.ModelCache},
 * so the artifact is read once however many subtasks there are). Loading happens here, on the task thread: a small
 * network loads in milliseconds, and a refused artifact must never replace the running version. Every outcome is
 * one log line, a counter and a {@link #MODEL_STATUS} record.
 */
public final class ModelSequenceFunction
    extends KeyedBroadcastProcessFunction<String, SeriesFeatures, ModelUpdate, ModelScoring> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ModelSequenceFunction.class);

  /** The models, by model key. */
  public static final MapStateDescriptor<String, ModelSpec> MODELS = new MapStateDescriptor<>("models",
      Types.STRING, TypeInformation.of(ModelSpec.class));
  /** One line per model update: {@code accepted|stale|refused <key> v<version>: <reason>}. */
  public static final OutputTag<String> MODEL_STATUS = new OutputTag<>("model-status") {};

  private final int historyLength;
  private final Duration stateTtl;
  private final ModelAcceptance.Verifier verifier;
  private transient ValueState<SeriesHistory> history;
  private transient Counter accepted;
  private transient Counter stale;
  private transient Counter refused;
  private transient Counter requests;

  /**
   * @param historyLength windows kept per series (grows to a model's sequence length when that is longer)
   * @param verifier      checks and loads an artifact ({@code ModelCache::load} in the job)
   */
  public ModelSequenceFunction(int historyLength, Duration stateTtl, ModelAcceptance.Verifier verifier) {
    this.historyLength = historyLength;
    this.stateTtl = stateTtl;
    this.verifier = verifier;
  }

  @Override
  public void open(OpenContext ctx) {
    Nd4jRuntime.init();
    ValueStateDescriptor<SeriesHistory> d = new ValueStateDescriptor<>("series-history",
        TypeInformation.of(SeriesHistory.class));
    d.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl).build());
    history = getRuntimeContext().getState(d);
    accepted = getRuntimeContext().getMetricGroup().counter("modelsAccepted");
    stale = getRuntimeContext().getMetricGroup().counter("modelsStale");
    refused = getRuntimeContext().getMetricGroup().counter("modelsRefused");
    requests = getRuntimeContext().getMetricGroup().counter("modelRequests");
  }

  @Override
  public void processElement(SeriesFeatures f, ReadOnlyContext ctx, Collector<ModelScoring> out) throws Exception {
    SeriesHistory h = history.value();
    if (h == null) {
      h = new SeriesHistory(historyLength);
    }
    ReadOnlyBroadcastState<String, ModelSpec> models = ctx.getBroadcastState(MODELS);
    ModelSpec model = models.get(ModelSpec.lstmKey(f.entityId, f.metric));
    if (model != null) {
      h.ensureCapacity(model.sequenceLength);
    }
    h.add(f.values());
    history.update(h);
    if (model != null) {
      float[] input = new float[model.cells()];
      if (h.sequence(model, input, 0)) {
        requests.inc();
        out.collect(ModelScoring.request(f, model, input));
        return;
      }
    }
    out.collect(ModelScoring.passThrough(f));
  }

  @Override
  public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<ModelScoring> out) throws Exception {
    BroadcastState<String, ModelSpec> models = ctx.getBroadcastState(MODELS);
    ModelAcceptance.Decision d = ModelAcceptance.decide(u, models.get(u.getModelKey()), verifier);
    String line = d.outcome().name().toLowerCase(java.util.Locale.ROOT) + " " + u.getModelKey() + " v"
        + u.getVersion() + ": " + d.reason();
    switch (d.outcome()) {
      case ACCEPTED -> {
        models.put(u.getModelKey(), d.spec());
        accepted.inc();
        LOG.info("model {}", line);
      }
      case STALE -> {
        stale.inc();
        LOG.info("model {}", line);
      }
      case REFUSED -> {
        refused.inc();
        LOG.warn("model {}", line);
      }
      default -> throw new IllegalStateException(d.outcome().name());
    }
    ctx.output(MODEL_STATUS, line);
  }
}
