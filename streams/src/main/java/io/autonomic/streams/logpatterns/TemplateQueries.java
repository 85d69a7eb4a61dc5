package io.autonomic.streams.logpatterns;

import io.autonomic.streams.common.HttpEndpoint.Reply;
import io.autonomic.streams.common.HttpEndpoint.Route;
import io.autonomic.streams.common.JsonSerde;
import io.autonomic.streams.common.StoreQueries;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/** {@code GET /templates} (the whole catalog, all instances), {@code GET /templates?id=X} and {@code GET /templates/{id}}. */
public final class TemplateQueries implements Route {
  private final StoreQueries<TemplateInfo> queries;

  public TemplateQueries(KafkaStreams streams, HostInfo self) {
    this.queries = new StoreQueries<>(streams, LogPatternsTopology.CATALOG_STORE, self);
  }

  @Override
  public Reply handle(String subPath, Map<String, String> query) throws Exception {
    boolean local = "true".equals(query.get("local"));
    try {
      String id = !subPath.isEmpty() ? subPath : query.get("id");
      // The catalog is partitioned by the logs' entity, not by template id, so a lookup by id asks every instance.
      List<String> found = queries.list(local, t -> id == null || t.id().equals(id), TemplateQueries::json,
          "/templates", id == null ? "" : "id=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
      if (!subPath.isEmpty()) {
        return found.isEmpty() ? Reply.json(404, "{\"error\":\"no template " + id.replace("\"", "") + "\"}")
            : Reply.json(200, found.get(0));
      }
      return Reply.json(200, "[" + String.join(",", found) + "]");
    } catch (StoreQueries.Unavailable e) {
      return Reply.json(503, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
    }
  }

  static String json(TemplateInfo info) {
    try {
      return JsonSerde.MAPPER.writeValueAsString(info);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
