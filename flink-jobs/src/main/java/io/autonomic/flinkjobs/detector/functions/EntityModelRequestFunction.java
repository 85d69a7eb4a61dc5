package io.autonomic.flinkjobs.detector.functions;

import io.autonomic.avro.ModelUpdate;
import io.autonomic.flinkjobs.detector.anomaly.EntityScoring;
import io.autonomic.flinkjobs.detector.features.EntityVector;
import io.autonomic.flinkjobs.model.Nd4jRuntime;
import io.autonomic.flinkjobs.detector.inference.EntityModelScoring;
import io.autonomic.flinkjobs.detector.inference.ModelAcceptance;
import io.autonomic.flinkjobs.detector.inference.ModelSpec;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores each entity window statistically ({@link EntityScoring}) and, when the entity has a dense autoencoder,
 * turns it into an inference request with the scaled {@code [F]} vector. The dense models live in broadcast state
 * by model key ({@code dense-autoencoder/<entityId>}), checkpointed like the LSTM ones in
 * {@link ModelSequenceFunction}: an update is accepted when newer than the running version, well-formed and its
 * artifact's SHA-256 matches and it loads (the verifier, {@code ModelCache} per JVM); stale versions are ignored,
 * anything else is refused and the running version stays. Every outcome is one log line, a counter and a
 * {@link #MODEL_STATUS} record. No keyed state: the dense input is one window.
 */
public final class EntityModelRequestFunction
    extends KeyedBroadcastProcessFunction<String, EntityVector, ModelUpdate, EntityModelScoring> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EntityModelRequestFunction.class);

  /** The dense models, by model key. */
  public static final MapStateDescriptor<String, ModelSpec> MODELS = new MapStateDescriptor<>("entity-models",
      Types.STRING, TypeInformation.of(ModelSpec.class));
  /** One line per model update: {@code accepted|stale|refused <key> v<version>: <reason>}. */
  public static final OutputTag<String> MODEL_STATUS = new OutputTag<>("entity-model-status") {};

  private final ModelAcceptance.Verifier verifier;
  private transient Counter accepted;
  private transient Counter stale;
  private transient Counter refused;
  private transient Counter requests;

  /** @param verifier checks and loads an artifact ({@code ModelCache::load} in the job) */
  public EntityModelRequestFunction(ModelAcceptance.Verifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void open(OpenContext ctx) {
    Nd4jRuntime.init();
    accepted = getRuntimeContext().getMetricGroup().counter("entityModelsAccepted");
    stale = getRuntimeContext().getMetricGroup().counter("entityModelsStale");
    refused = getRuntimeContext().getMetricGroup().counter("entityModelsRefused");
    requests = getRuntimeContext().getMetricGroup().counter("entityModelRequests");
  }

  /** Updates refused so far on this subtask (tests). */
  long refusals() {
    return refused.getCount();
  }

  @Override
  public void processElement(EntityVector v, ReadOnlyContext ctx, Collector<EntityModelScoring> out)
      throws Exception {
    ModelSpec model = ctx.getBroadcastState(MODELS).get(ModelSpec.denseKey(v.entityId));
    if (model == null) {
      out.collect(EntityModelScoring.passThrough(v, EntityScoring.score(v)));
      return;
    }
    requests.inc();
    out.collect(EntityModelScoring.request(v, EntityScoring.score(v), model));
  }

  @Override
  public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<EntityModelScoring> out)
      throws Exception {
    BroadcastState<String, ModelSpec> models = ctx.getBroadcastState(MODELS);
    ModelAcceptance.Decision d = ModelAcceptance.decide(u, models.get(u.getModelKey()), verifier,
        ModelSpec.DENSE_AUTOENCODER);
    String line = d.outcome().name().toLowerCase(Locale.ROOT) + " " + u.getModelKey() + " v" + u.getVersion()
        + ": " + d.reason();
    switch (d.outcome()) {
      case ACCEPTED -> {
        models.put(u.getModelKey(), d.spec());
        accepted.inc();
        LOG.info("entity model {}", line);
      }
      case STALE -> {
        stale.inc();
        LOG.info("entity model {}", line);
      }
      case REFUSED -> {
        refused.inc();
        LOG.warn("entity model {}", line);
      }
      default -> throw new IllegalStateException(d.outcome().name());
    }
    ctx.output(MODEL_STATUS, line);
  }
}
