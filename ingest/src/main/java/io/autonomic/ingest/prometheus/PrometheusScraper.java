package io.autonomic.ingest.prometheus;

import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.agent.PollingCollector;
import io.autonomic.ingest.delivery.TelemetrySink;
import io.autonomic.ingest.normalize.MalformedTelemetryException;
import io.autonomic.ingest.normalize.Normalizer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes Prometheus {@code /metrics} endpoints (text 0.0.4 or OpenMetrics) and publishes their points.
 * Each scrape also publishes {@code up} (1 or 0) for the target, so a target that is down is a point,
 * not silence; {@code scrape.duration} (s) and {@code scrape.samples} follow Prometheus' own.
 *
 * <p>Target identity: {@code instance} ({@code host:port}) and {@code host.name} (the URL's host,
 * or the agent's own for localhost), then the configured extra labels, which win; labels of the
 * samples (namespace, pod...) can still name a more specific entity.
 */
public final class PrometheusScraper implements PollingCollector {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusScraper.class);
  static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private final List<URI> targets;
  private final Duration interval;
  private final Duration timeout;
  private final Map<String, String> extraLabels;
  private final String agentHost;
  private final Normalizer normalizer;
  private final TelemetrySink sink;
  private final Clock clock;
  private final HttpClient http;
  private final Map<URI, PrometheusConverter> converters = new ConcurrentHashMap<>();
  private final Map<URI, Boolean> lastUp = new ConcurrentHashMap<>();

  public PrometheusScraper(List<URI> targets, Duration interval, Duration timeout, Map<String, String> extraLabels,
      String agentHost, Normalizer normalizer, TelemetrySink sink, Clock clock) {
    this.targets = List.copyOf(targets);
    this.interval = interval;
    this.timeout = timeout;
    this.extraLabels = Map.copyOf(extraLabels);
    this.agentHost = agentHost;
    this.normalizer = normalizer;
    this.sink = sink;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  @Override
  public String name() {
    return "prometheus";
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void collect() {
    for (URI target : targets) {
      scrape(target);
    }
  }

  /** Scrapes one target and publishes its points and its {@code up}. */
  public void scrape(URI target) {
    Map<String, String> resource = resource(target);
    long start = clock.millis();
    long t0 = System.nanoTime();
    String failure = null;
    int samples = 0;
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(target).timeout(timeout)
          .header("Accept", ACCEPT).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        failure = "HTTP " + response.statusCode();
      } else {
        boolean openMetrics = PrometheusText.isOpenMetrics(response.headers().firstValue("Content-Type").orElse(null));
        List<PrometheusText.Family> families = PrometheusText.parse(response.body(), openMetrics);
        for (PrometheusText.Family f : families) {
          samples += f.samples().size();
        }
        PrometheusConverter converter = converters.computeIfAbsent(target,
            t -> new PrometheusConverter(normalizer, io.autonomic.ingest.normalize.OtlpDecoder.DEFAULT_QUANTILES));
        for (MetricPoint p : converter.convert(families, resource, start)) {
          sink.metric(name(), p);
        }
      }
    } catch (MalformedTelemetryException e) {
      failure = e.getMessage();
    } catch (IOException e) {
      failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    boolean up = failure == null;
    Boolean previous = lastUp.put(target, up);
    if (!up && !Boolean.FALSE.equals(previous)) {
      LOG.warn("scrape failed: target={} reason={}; publishing up=0 until it answers", target, failure);
    } else if (up && Boolean.FALSE.equals(previous)) {
      LOG.info("scrape recovered: target={}", target);
    }
    publish(resource, "up", null, up ? 1 : 0, start);
    publish(resource, "scrape.duration", "s", (System.nanoTime() - t0) / 1e9, start);
    if (up) {
      publish(resource, "scrape.samples", null, samples, start);
    }
  }

  private void publish(Map<String, String> resource, String metric, String unit, double value, long time) {
    normalizer.canonicalMetric(resource, Map.of(), metric, unit, value, time).ifPresent(p -> sink.metric(name(), p));
  }

  Map<String, String> resource(URI target) {
    Map<String, String> r = new LinkedHashMap<>();
    String host = target.getHost();
    boolean local = host == null || host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1")
        || host.equals("[::1]");
    r.put(Normalizer.HOST_NAME, local && agentHost != null ? agentHost : String.valueOf(host));
    int port = target.getPort() >= 0 ? target.getPort() : ("https".equals(target.getScheme()) ? 443 : 80);
    r.put("instance", host + ":" + port);
    r.putAll(extraLabels);
    return r;
  }

  /** Parses {@code key=value} items of the config into labels. */
  public static Map<String, String> labels(List<String> items) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value in collectors.prometheus.labels, got '" + item + "'");
      }
      out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
    }
    return out;
  }
}
