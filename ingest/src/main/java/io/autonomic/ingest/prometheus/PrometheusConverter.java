package io.autonomic.ingest.prometheus;

import io.autonomic.avro.MetricPoint;
import io.autonomic.ingest.normalize.CardinalityGuard;
import io.autonomic.ingest.normalize.CounterRates;
import io.autonomic.ingest.normalize.Histograms;
import io.autonomic.ingest.normalize.MetricNames;
import io.autonomic.ingest.normalize.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns parsed Prometheus families into normalized points, as the detector can use them: gauges and
 * untyped samples as values; counters as per-second rates (first scrape primes, resets handled);
 * histograms as {@code <name>.rate}, {@code .mean} and quantile estimates over the scrape interval;
 * summaries as their own quantiles ({@code <name>.p99}) and the rate of their count; info and
 * stateset samples as gauges. {@code _created} samples are not published. Keeps per-series state for
 * rates, so one converter should see every scrape of a target.
 */
public final class PrometheusConverter {
  private final Normalizer normalizer;
  private final List<Double> quantiles;
  private final CounterRates rates = new CounterRates();
  private final Histograms histograms = new Histograms();

  public PrometheusConverter(Normalizer normalizer, List<Double> quantiles) {
    this.normalizer = normalizer;
    this.quantiles = List.copyOf(quantiles);
  }

  /**
   * Points of one scrape.
   *
   * @param resource labels of the target (instance, configured extra labels); they win over sample labels
   * @param scrapeMillis the scrape time, for samples without a timestamp
   */
  public List<MetricPoint> convert(List<PrometheusText.Family> families, Map<String, String> resource,
      long scrapeMillis) {
    List<MetricPoint> out = new ArrayList<>();
    for (PrometheusText.Family f : families) {
      switch (f.type()) {
        case COUNTER -> counter(f, resource, scrapeMillis, out::add);
        case HISTOGRAM, GAUGEHISTOGRAM -> histogram(f, resource, scrapeMillis, out::add);
        case SUMMARY -> summary(f, resource, scrapeMillis, out::add);
        default -> {
          for (PrometheusText.Sample s : f.samples()) {
            if (!s.name().endsWith("_created")) {
              MetricNames.Canonical c = MetricNames.canonical(s.name(), f.unit());
              emit(resource, s.labels(), c.name(), c.unit(), s.value(), time(s, scrapeMillis), out::add);
            }
          }
        }
      }
    }
    return out;
  }

  private void counter(PrometheusText.Family f, Map<String, String> resource, long scrapeMillis,
      Consumer<MetricPoint> out) {
    MetricNames.Canonical c = MetricNames.canonical(f.name(), f.unit());
    for (PrometheusText.Sample s : f.samples()) {
      if (s.name().endsWith("_created")) {
        continue;
      }
      long t = time(s, scrapeMillis);
      OptionalDouble rate = rates.rate(key(resource, s.labels(), c.name()), s.value(), t);
      if (rate.isPresent()) {
        emit(resource, s.labels(), c.name(), MetricNames.rateUnit(c.unit()), rate.getAsDouble(), t, out);
      }
    }
  }

  private record Group(Map<String, String> labels, TreeMap<Double, Double> cumulative, double[] sumCount,
      long[] time) {}

  private void histogram(PrometheusText.Family f, Map<String, String> resource, long scrapeMillis,
      Consumer<MetricPoint> out) {
    MetricNames.Canonical c = MetricNames.canonical(f.name(), f.unit());
    Map<Map<String, String>, Group> groups = new LinkedHashMap<>();
    for (PrometheusText.Sample s : f.samples()) {
      Map<String, String> labels = new TreeMap<>(s.labels());
      String le = labels.remove("le");
      Group g = groups.computeIfAbsent(labels, l -> new Group(l, new TreeMap<>(), new double[] {Double.NaN, Double.NaN},
          new long[] {scrapeMillis}));
      if (s.timestampMillis() != null) {
        g.time()[0] = s.timestampMillis();
      }
      String suffix = s.name().substring(Math.min(s.name().length(), f.name().length()));
      switch (suffix) {
        case "_bucket" -> {
          if (le == null) {
            throw new IllegalStateException("bucket without le in " + f.name());
          }
          g.cumulative().put(PrometheusText.parseValue(le), s.value());
        }
        case "_sum", "_gsum" -> g.sumCount()[0] = s.value();
        case "_count", "_gcount" -> g.sumCount()[1] = s.value();
        default -> {
          // _created: the start time is not needed, resets show as decreasing counts
        }
      }
    }
    boolean gauge = f.type() == PrometheusText.Type.GAUGEHISTOGRAM;
    for (Group g : groups.values()) {
      if (g.cumulative().isEmpty()) {
        continue;
      }
      double[] bounds = g.cumulative().keySet().stream().filter(b -> !b.isInfinite()).mapToDouble(Double::doubleValue)
          .toArray();
      double[] counts = new double[bounds.length + 1];
      double previous = 0;
      int i = 0;
      for (Map.Entry<Double, Double> e : g.cumulative().entrySet()) {
        if (e.getKey().isInfinite()) {
          continue;
        }
        counts[i++] = Math.max(0, e.getValue() - previous);
        previous = e.getValue();
      }
      double total = g.cumulative().getOrDefault(Double.POSITIVE_INFINITY, Double.isNaN(g.sumCount()[1]) ? previous
          : g.sumCount()[1]);
      counts[bounds.length] = Math.max(0, total - previous);
      Histograms.Buckets buckets = new Histograms.Buckets(bounds, counts);
      long t = g.time()[0];
      double sum = Double.isNaN(g.sumCount()[0]) ? 0 : g.sumCount()[0];
      if (gauge) {
        quantiles(resource, g.labels(), c, new Histograms.Interval(Double.NaN, buckets.total(), sum, buckets), t, out);
        continue;
      }
      histograms.cumulative(key(resource, g.labels(), c.name()), buckets, sum, t, 0).ifPresent(interval -> {
        emit(resource, g.labels(), c.name() + ".rate", "1/s", interval.ratePerSecond(), t, out);
        quantiles(resource, g.labels(), c, interval, t, out);
      });
    }
  }

  private void quantiles(Map<String, String> resource, Map<String, String> labels, MetricNames.Canonical c,
      Histograms.Interval interval, long t, Consumer<MetricPoint> out) {
    if (interval.count() <= 0) {
      return;
    }
    emit(resource, labels, c.name() + ".mean", c.unit(), interval.sum() / interval.count(), t, out);
    for (double q : quantiles) {
      emit(resource, labels, c.name() + "." + MetricNames.quantileSuffix(q), c.unit(),
          Histograms.quantile(interval.buckets(), q), t, out);
    }
  }

  private void summary(PrometheusText.Family f, Map<String, String> resource, long scrapeMillis,
      Consumer<MetricPoint> out) {
    MetricNames.Canonical c = MetricNames.canonical(f.name(), f.unit());
    for (PrometheusText.Sample s : f.samples()) {
      long t = time(s, scrapeMillis);
      Map<String, String> labels = new TreeMap<>(s.labels());
      String quantile = labels.remove("quantile");
      if (s.name().equals(f.name()) && quantile != null) {
        emit(resource, labels, c.name() + "." + MetricNames.quantileSuffix(PrometheusText.parseValue(quantile)),
            c.unit(), s.value(), t, out);
      } else if (s.name().equals(f.name() + "_count")) {
        OptionalDouble rate = rates.rate(key(resource, labels, c.name() + ".rate"), s.value(), t);
        if (rate.isPresent()) {
          emit(resource, labels, c.name() + ".rate", "1/s", rate.getAsDouble(), t, out);
        }
      }
    }
  }

  private void emit(Map<String, String> resource, Map<String, String> labels, String name, String unit, double value,
      long t, Consumer<MetricPoint> out) {
    normalizer.canonicalMetric(resource, labels, name, unit, value, t).ifPresent(out);
  }

  private static long time(PrometheusText.Sample s, long scrapeMillis) {
    return s.timestampMillis() != null ? s.timestampMillis() : scrapeMillis;
  }

  private static String key(Map<String, String> resource, Map<String, String> labels, String name) {
    Map<String, String> all = new TreeMap<>(labels);
    all.putAll(resource);
    return CardinalityGuard.seriesKey("", name, all);
  }
}
