package io.autonomic.demo.scenario;

import static io.autonomic.demo.fleet.ShopFleet.CHECKOUT;
import static io.autonomic.demo.fleet.ShopFleet.DATABASE;
import static io.autonomic.demo.fleet.ShopFleet.FRONTEND;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's seed scenarios, and selection by name. */
public final class Scenarios {
  private Scenarios() {}

  /** The five seed scenarios in the order the demo runs them; each lasts {@code duration} of simulated time. */
  public static List<Scenario> seed(Duration duration) {
    return List.of(
        new Scenario("memory-leak", FaultKind.MEMORY_LEAK, CHECKOUT + "-1", 2.5, duration,
            List.of(CHECKOUT), "memory leak on checkout-1"),
        new Scenario("bad-deploy", FaultKind.BAD_DEPLOY, CHECKOUT, 0.2, duration,
            List.of(CHECKOUT, FRONTEND), "error burst after a bad deploy of checkout"),
        new Scenario("dead-replica", FaultKind.DEAD_REPLICA, CHECKOUT + "-2", 1, duration,
            List.of(CHECKOUT, FRONTEND), "checkout-2 dies"),
        new Scenario("slow-dependency", FaultKind.SLOW_DEPENDENCY, DATABASE, 300, duration,
            List.of(DATABASE, CHECKOUT, FRONTEND), "database answers 300 ms slower"),
        new Scenario("traffic-spike", FaultKind.TRAFFIC_SPIKE, FRONTEND, 10, duration,
            List.of(FRONTEND, CHECKOUT, DATABASE), "traffic x10 spike on the frontend"));
  }

  /**
   * The scenarios named in {@code spec}: {@code all}, or names separated by commas, in the order given.
   *
   * @throws IllegalArgumentException naming the unknown scenario and the known ones
   */
  public static List<Scenario> select(String spec, Duration duration) {
    Map<String, Scenario> byName = new LinkedHashMap<>();
    seed(duration).forEach(s -> byName.put(s.name(), s));
    if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("all")) {
      return List.copyOf(byName.values());
    }
    List<Scenario> out = new ArrayList<>();
    for (String n : spec.split(",")) {
      String name = n.trim().toLowerCase(Locale.ROOT);
      Scenario s = byName.get(name);
      if (s == null) {
        throw new IllegalArgumentException("unknown scenario '" + name + "'; known: all, "
            + String.join(", ", byName.keySet()));
      }
      out.add(s);
    }
    return out;
  }
}
