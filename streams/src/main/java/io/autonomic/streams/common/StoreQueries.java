package io.autonomic.streams.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over one key-value store across every instance of an app: a key is read where
 * {@code queryMetadataForKey} says it lives, locally or from the owning instance's HTTP endpoint (its
 * {@code application.server}); a listing merges the local store with every other instance's local answer.
 * Remote calls carry {@code local=true} so they never fan out again.
 *
 * @param <V> the store's value type
 */
public final class StoreQueries<V> {
  /** The store is not queryable now (rebalancing, restoring); the caller should answer 503. */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  private final KafkaStreams streams;
  private final String store;
  private final HostInfo self;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public StoreQueries(KafkaStreams streams, String store, HostInfo self) {
    this.streams = streams;
    this.store = store;
    this.self = self;
  }

  private ReadOnlyKeyValueStore<String, V> local() {
    try {
      return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (RuntimeException e) {
      throw new Unavailable("store " + store + " is not queryable now: " + e.getMessage());
    }
  }

  /**
   * The value of {@code key} rendered as JSON, from whichever instance holds it.
   *
   * @param path the HTTP path that answers this key on another instance, e.g. {@code /incidents/inc-1}
   */
  public Optional<String> get(String key, boolean localOnly, Function<V, String> json, String path)
      throws IOException, InterruptedException {
    KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    if (localOnly || metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
        || metadata.activeHost().equals(self)) {
      if (!localOnly && (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE))) {
        throw new Unavailable("no instance holds store " + store + " yet");
      }
      V value = local().get(key);
      return Optional.ofNullable(value).map(json);
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(remote(metadata.activeHost(), path, "local=true"))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new Unavailable(metadata.activeHost() + " answered " + response.statusCode() + ": " + response.body());
    }
    return Optional.of(response.body());
  }

  /**
   * Every value passing {@code filter}, as JSON array elements, from all instances.
   *
   * @param path  the HTTP path that lists this on another instance, e.g. {@code /incidents}
   * @param query its query string without {@code local=true}, e.g. {@code state=open}; empty for none
   */
  public List<String> list(boolean localOnly, java.util.function.Predicate<V> filter, Function<V, String> json,
      String path, String query) throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    try (var it = local().all()) {
      it.forEachRemaining(kv -> {
        if (kv.value != null && filter.test(kv.value)) {
          out.add(json.apply(kv.value));
        }
      });
    }
    if (localOnly) {
      return out;
    }
    for (StreamsMetadata instance : streams.streamsMetadataForStore(store)) {
      if (instance.hostInfo().equals(self)) {
        continue;
      }
      String q = (query == null || query.isEmpty() ? "" : query + "&") + "local=true";
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(remote(instance.hostInfo(), path, q))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new Unavailable(instance.hostInfo() + " answered " + response.statusCode() + ": " + response.body());
      }
      var array = JsonSerde.MAPPER.readTree(response.body());
      array.forEach(node -> out.add(node.toString()));
    }
    return out;
  }

  private static URI remote(HostInfo host, String path, String query) {
    return URI.create("http://" + host.host() + ":" + host.port() + path + "?" + query);
  }
}
