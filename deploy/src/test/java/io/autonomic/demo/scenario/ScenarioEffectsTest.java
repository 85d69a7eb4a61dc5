package io.autonomic.demo.scenario;

import static io.autonomic.demo.fleet.FleetProbe.service;
import static io.autonomic.demo.fleet.MetricNames.CPU;
import static io.autonomic.demo.fleet.MetricNames.ERROR_RATIO;
import static io.autonomic.demo.fleet.MetricNames.LATENCY_P99;
import static io.autonomic.demo.fleet.MetricNames.MEMORY_UTILIZATION;
import static io.autonomic.demo.fleet.MetricNames.REQUEST_RATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.demo.fleet.FleetProbe;
import io.autonomic.demo.fleet.ShopFleet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each seed scenario moves the metrics it should and leaves unrelated ones alone. */
class ScenarioEffectsTest {
  private static final double LOAD = ShopFleet.SHOP_BASE_LOAD;
  private static final int TICKS = 20;

  /** scenario, {metric@service: minimum ratio after/before}, {metric@service: ratio must stay within ±20%}. */
  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("traffic-spike", Map.of(REQUEST_RATE + "@frontend", 8.0, LATENCY_P99 + "@frontend", 3.0,
            CPU + "@frontend", 1.8), List.of(MEMORY_UTILIZATION + "@frontend", MEMORY_UTILIZATION + "@checkout")),
        Arguments.of("memory-leak", Map.of(MEMORY_UTILIZATION + "@checkout-1", 1.5),
            List.of(MEMORY_UTILIZATION + "@checkout-2", MEMORY_UTILIZATION + "@frontend", REQUEST_RATE + "@checkout",
                CPU + "@database", LATENCY_P99 + "@database")),
        Arguments.of("bad-deploy", Map.of(ERROR_RATIO + "@checkout", 20.0, ERROR_RATIO + "@frontend", 5.0),
            List.of(CPU + "@checkout", MEMORY_UTILIZATION + "@checkout", LATENCY_P99 + "@database",
                ERROR_RATIO + "@database")),
        Arguments.of("dead-replica", Map.of(REQUEST_RATE + "@checkout", 1.35, CPU + "@checkout", 1.25),
            List.of(MEMORY_UTILIZATION + "@checkout", CPU + "@database", ERROR_RATIO + "@database",
                REQUEST_RATE + "@frontend")),
        Arguments.of("slow-dependency", Map.of(LATENCY_P99 + "@database", 5.0, LATENCY_P99 + "@checkout", 1.5),
            List.of(CPU + "@database", CPU + "@checkout", MEMORY_UTILIZATION + "@database",
                ERROR_RATIO + "@checkout")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theFaultShowsInItsMetricsAndNotInUnrelatedOnes(String name, Map<String, Double> rises,
      List<String> unchanged) {
    Scenario scenario = Scenarios.select(name, Duration.ofMinutes(5)).get(0);
    Map<String, Double> before = new java.util.HashMap<>();
    Map<String, Double> after = new java.util.HashMap<>();
    List<String> keys = Stream.concat(rises.keySet().stream(), unchanged.stream()).toList();
    for (String k : keys) { // the same seed with and without the fault: only the fault differs
      before.put(k, mean(ShopFleet.shop(99), k, 1.0, null));
      after.put(k, mean(ShopFleet.shop(99), k, scenario.loadFactor(), scenario));
    }
    rises.forEach((k, ratio) -> assertThat(after.get(k) / before.get(k)).as(k + " rises").isGreaterThan(ratio));
    unchanged.forEach(k -> assertThat(after.get(k) / before.get(k)).as(k + " unchanged").isBetween(0.8, 1.2));
  }

  /** Mean of metric@target over TICKS ticks after TICKS quiet ticks, with the scenario injected in between. */
  private static double mean(ShopFleet fleet, String key, double loadFactor, Scenario scenario) {
    String metric = key.substring(0, key.indexOf('@'));
    String target = key.substring(key.indexOf('@') + 1);
    Predicate<String> entity = ShopFleet.serviceOf(target) != null ? FleetProbe.replica(target) : service(target);
    FleetProbe probe = new FleetProbe(fleet);
    probe.mean(TICKS, LOAD, CPU, e -> true);
    if (scenario != null) {
      scenario.inject(fleet);
    }
    return probe.mean(TICKS, LOAD * loadFactor, metric, entity);
  }
}
