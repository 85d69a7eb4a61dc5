package io.autonomic.ingest.normalize;

import java.util.Objects;

/**
 * The monitored entity a point belongs to: its stable id (also the Kafka key) and its kind
 * ({@code pod}, {@code deployment}, {@code service}, {@code host}, or {@code unknown}).
 */
public record Entity(String id, String kind) {
  public Entity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
  }
}
