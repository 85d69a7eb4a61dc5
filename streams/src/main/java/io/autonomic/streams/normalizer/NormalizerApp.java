package io.autonomic.streams.normalizer;

import io.autonomic.config.Config;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.ingest.normalize.Normalizer;
import io.autonomic.ingest.normalize.OtlpDecoder;
import io.autonomic.schemas.Topics;
import io.autonomic.streams.StreamsOptions;
import io.autonomic.streams.normalizer.formats.InfluxFormat;
import io.autonomic.streams.normalizer.formats.JsonLogFormat;
import io.autonomic.streams.normalizer.formats.OtlpFormat;
import java.time.Clock;
import java.util.List;

/** Builds the normalizer's inputs: each raw topic with its format, all sharing one cardinality guard. */
public final class NormalizerApp {
  private NormalizerApp() {}

  /**
   * The three raw topics and their formats. One {@link OtlpDecoder} serves every OTLP record of this instance:
   * it keeps the previous value of each cumulative counter (in memory; a restart primes again).
   */
  public static List<NormalizerTopology.Input> inputs(Config config, Clock clock) {
    CardinalityGuard guard = new CardinalityGuard(config.get(StreamsOptions.NORMALIZER_MAX_SERIES));
    return inputs(guard, clock);
  }

  public static List<NormalizerTopology.Input> inputs(CardinalityGuard guard, Clock clock) {
    OtlpDecoder otlp = new OtlpDecoder(new Normalizer("normalizer:otlp", null, guard), clock);
    return List.of(
        new NormalizerTopology.Input(Topics.RAW_OTLP.name(), new OtlpFormat(otlp)),
        new NormalizerTopology.Input(Topics.RAW_INFLUX.name(),
            new InfluxFormat(new Normalizer("normalizer:influx", null, guard))),
        new NormalizerTopology.Input(Topics.RAW_JSON.name(),
            new JsonLogFormat(new Normalizer("normalizer:json", null, guard))));
  }
}
