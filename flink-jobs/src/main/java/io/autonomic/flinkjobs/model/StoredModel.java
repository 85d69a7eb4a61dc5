package io.autonomic.flinkjobs.model;

import io.autonomic.avro.ModelUpdate;
import java.nio.file.Path;
import java.util.Map;

/**
 * One version in the {@link ModelStore}: the announcement (ModelUpdate) and where its files are.
 *
 * @param training the training metadata written to the json (samples, epochs, loss, time), as read back
 */
public record StoredModel(ModelUpdate update, Path artifact, Path metadata, Map<String, Object> training) {

  public String modelKey() {
    return update.getModelKey();
  }

  public long version() {
    return update.getVersion();
  }

  public ModelKind kind() {
    return ModelKind.fromKindName(update.getKind());
  }
}
