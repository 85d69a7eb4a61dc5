package io.autonomic.streams.correlator;

import io.autonomic.avro.Incident;
import io.autonomic.avro.IncidentState;
import io.autonomic.registry.AvroJson;
import io.autonomic.streams.common.HttpEndpoint.Reply;
import io.autonomic.streams.common.HttpEndpoint.Route;
import io.autonomic.streams.common.StoreQueries;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /incidents?state=open|updated|resolved|active} and {@code GET /incidents/{id}}, answered from the
 * correlator's incident store across instances. {@code state=open} means not resolved (OPEN or UPDATED), as an
 * operator means it; {@code state=OPEN} in capitals is the exact state.
 */
public final class IncidentQueries implements Route {
  private final StoreQueries<Incident> queries;

  public IncidentQueries(KafkaStreams streams, HostInfo self) {
    this.queries = new StoreQueries<>(streams, CorrelatorTopology.INCIDENT_STORE, self);
  }

  @Override
  public Reply handle(String subPath, Map<String, String> query) throws Exception {
    boolean local = "true".equals(query.get("local"));
    try {
      if (!subPath.isEmpty()) {
        return queries.get(subPath, local, IncidentQueries::json, "/incidents/"
            + URLEncoder.encode(subPath, StandardCharsets.UTF_8))
            .map(body -> Reply.json(200, body))
            .orElseGet(() -> Reply.json(404, "{\"error\":\"no incident " + subPath.replace("\"", "") + "\"}"));
      }
      String state = query.getOrDefault("state", "");
      Predicate<Incident> filter;
      try {
        filter = filter(state);
      } catch (IllegalArgumentException e) {
        return Reply.json(400, "{\"error\":\"" + e.getMessage() + "\"}");
      }
      List<String> items = queries.list(local, filter, IncidentQueries::json, "/incidents",
          state.isEmpty() ? "" : "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
      return Reply.json(200, "[" + String.join(",", items) + "]");
    } catch (StoreQueries.Unavailable e) {
      return Reply.json(503, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
    }
  }

  static Predicate<Incident> filter(String state) {
    switch (state) {
      case "":
        return i -> true;
      case "open":
      case "active":
        return i -> i.getState() != IncidentState.RESOLVED;
      case "updated":
        return i -> i.getState() == IncidentState.UPDATED;
      case "resolved":
        return i -> i.getState() == IncidentState.RESOLVED;
      default:
        try {
          IncidentState exact = IncidentState.valueOf(state.toUpperCase(Locale.ROOT));
          return i -> i.getState() == exact;
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("state must be open, updated, resolved or active, got '"
              + state.replace("\"", "") + "'");
        }
    }
  }

  static String json(Incident incident) {
    return AvroJson.toJson(incident).toString();
  }
}
