package io.autonomic.flinkjobs.model;

import java.util.Locale;

/** The model families of the model contract, with their kind name (ModelUpdate.kind) and model-key scheme. */
public enum ModelKind {
  /** One model per series: the last N window feature vectors, reconstructed. */
  LSTM("lstm-autoencoder"),
  /** One model per entity: the entity's joined window vector, reconstructed through a bottleneck. */
  DENSE("dense-autoencoder");

  private final String kindName;

  ModelKind(String kindName) {
    this.kindName = kindName;
  }

  /** {@code lstm-autoencoder} or {@code dense-autoencoder}, as in ModelUpdate.kind and the store layout. */
  public String kindName() {
    return kindName;
  }

  /** {@code lstm-autoencoder/<entityId>/<metric>}. */
  public static String seriesKey(String entityId, String metric) {
    return LSTM.kindName + "/" + entityId + "/" + metric;
  }

  /** {@code dense-autoencoder/<entityId>}. */
  public static String entityKey(String entityId) {
    return DENSE.kindName + "/" + entityId;
  }

  /** The kind of a ModelUpdate.kind string. */
  public static ModelKind fromKindName(String name) {
    for (ModelKind k : values()) {
      if (k.kindName.equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown model kind '" + name + "'; known: lstm-autoencoder, dense-autoencoder");
  }

  /** The kinds a {@code --kind lstm|dense|all} value selects. */
  public static java.util.List<ModelKind> select(String kind) {
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "lstm", "lstm-autoencoder" -> java.util.List.of(LSTM);
      case "dense", "dense-autoencoder" -> java.util.List.of(DENSE);
      case "all" -> java.util.List.of(LSTM, DENSE);
      default -> throw new IllegalArgumentException("unknown kind '" + kind + "'; valid: lstm, dense, all");
    };
  }
}
