package io.autonomic.demo.fleet;

import static io.autonomic.demo.fleet.FleetProbe.replica;
import static io.autonomic.demo.fleet.FleetProbe.service;
import static io.autonomic.demo.fleet.ShopFleet.CHECKOUT;
import static io.autonomic.demo.fleet.ShopFleet.DATABASE;
import static io.autonomic.demo.fleet.ShopFleet.FRONTEND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.avro.LogRecord;
import io.autonomic.avro.LogSeverity;
import io.autonomic.avro.MetricPoint;
import org.junit.jupiter.api.Test;

class ShopFleetTest {
  private static final double LOAD = 180;

  @Test
  void everyLiveReplicaReportsEveryMetricWithEntityIdKindAndTags() {
    ShopFleet fleet = ShopFleet.shop(1);
    FleetSample s = new FleetProbe(fleet).tick(ShopFleet.SHOP_BASE_LOAD);

    assertThat(FleetProbe.entities(s)).containsExactly("shop/frontend-1", "shop/frontend-2", "shop/frontend-3",
        "shop/checkout-1", "shop/checkout-2", "shop/checkout-3", "shop/database-1", "shop/database-2");
    assertThat(s.metrics()).hasSize(8 * MetricNames.ALL.size());
    MetricPoint p = s.metrics().stream().filter(m -> m.getEntityId().equals("shop/checkout-2")
        && m.getMetric().equals(MetricNames.LATENCY_P99)).findFirst().orElseThrow();
    assertThat(p.getEntityKind()).isEqualTo("pod");
    assertThat(p.getUnit()).isEqualTo("s");
    assertThat(p.getTags()).containsEntry("service", CHECKOUT).containsEntry("namespace", "shop")
        .containsEntry("deployment", CHECKOUT).containsEntry("pod", "checkout-2");
    assertThat(s.logs()).allMatch(l -> l.getSeverity() == LogSeverity.INFO).hasSize(8);
  }

  @Test
  void healthyShopRunsAtModerateUtilisationWithFewErrors() {
    FleetProbe probe = new FleetProbe(ShopFleet.shop(2));
    assertThat(probe.mean(30, ShopFleet.SHOP_BASE_LOAD, MetricNames.CPU, e -> true)).isBetween(0.2, 0.6);
    assertThat(probe.mean(30, ShopFleet.SHOP_BASE_LOAD, MetricNames.ERROR_RATIO, e -> true)).isLessThan(0.01);
  }

  @Test
  void scalingOutLowersPerReplicaCpuAndLatency() {
    ShopFleet fleet = ShopFleet.shop(3);
    FleetProbe probe = new FleetProbe(fleet);
    double cpuBefore = probe.mean(20, LOAD, MetricNames.CPU, service(CHECKOUT));
    double p99Before = probe.mean(20, LOAD, MetricNames.LATENCY_P99, service(CHECKOUT));

    assertThat(fleet.scale(CHECKOUT, 6)).isEqualTo(3);

    assertThat(fleet.replicas(CHECKOUT)).hasSize(6);
    assertThat(probe.mean(20, LOAD, MetricNames.CPU, service(CHECKOUT))).isLessThan(cpuBefore * 0.7);
    assertThat(probe.mean(20, LOAD, MetricNames.LATENCY_P99, service(CHECKOUT))).isLessThan(p99Before * 0.8);
  }

  @Test
  void latencyGrowsSharplyAsUtilisationApproachesOne() {
    double low = new FleetProbe(ShopFleet.shop(4)).mean(10, 60, MetricNames.LATENCY_P99, service(FRONTEND));
    double mid = new FleetProbe(ShopFleet.shop(4)).mean(10, 180, MetricNames.LATENCY_P99, service(FRONTEND));
    double high = new FleetProbe(ShopFleet.shop(4)).mean(10, 340, MetricNames.LATENCY_P99, service(FRONTEND));

    assertThat(mid - low).isPositive();
    assertThat(high - mid).as("the step from 50%% to 95%% utilisation costs more than from 17%% to 50%%")
        .isGreaterThan(3 * (mid - low));
  }

  @Test
  void overloadFillsTheQueueAndShedsRequestsAsErrors() {
    FleetProbe probe = new FleetProbe(ShopFleet.shop(5));
    double queue = probe.mean(10, 1200, MetricNames.QUEUE_DEPTH, service(FRONTEND));
    double errors = probe.mean(10, 1200, MetricNames.ERROR_RATIO, service(FRONTEND));

    assertThat(queue).isGreaterThan(100);
    assertThat(errors).isGreaterThan(0.3);
    assertThat(probe.tick(1200).logs()).anyMatch(l -> l.getSeverity() == LogSeverity.ERROR
        && l.getMessage().startsWith("503 Service Unavailable"));
  }

  @Test
  void aLeakGrowsMemoryUntilARestartClearsIt() {
    ShopFleet fleet = ShopFleet.shop(6);
    FleetProbe probe = new FleetProbe(fleet);
    double before = probe.mean(5, LOAD, MetricNames.MEMORY_UTILIZATION, replica("checkout-1"));

    fleet.injectLeak("checkout-1", 2.5);
    double early = probe.mean(5, LOAD, MetricNames.MEMORY_UTILIZATION, replica("checkout-1"));
    double late = probe.mean(5, LOAD, MetricNames.MEMORY_UTILIZATION, replica("checkout-1"));

    assertThat(early).isGreaterThan(before);
    assertThat(late).isGreaterThan(early);
    assertThat(probe.mean(5, LOAD, MetricNames.MEMORY_UTILIZATION, replica("checkout-2"))).isCloseTo(before,
        org.assertj.core.data.Offset.offset(0.02));
    probe.mean(30, LOAD, MetricNames.MEMORY_UTILIZATION, replica("checkout-1"));
    assertThat(probe.tick(LOAD).logs()).anyMatch(l -> l.getEntityId().equals("shop/checkout-1")
        && l.getSeverity() != LogSeverity.INFO);

    assertThat(fleet.restart("shop/checkout-1")).isEqualTo("restarted checkout-1");

    assertThat(probe.mean(5, LOAD, MetricNames.MEMORY_UTILIZATION, replica("checkout-1"))).isCloseTo(before,
        org.assertj.core.data.Offset.offset(0.02));
  }

  @Test
  void aDeadReplicaReportsNothingAndShiftsItsLoadToTheOthers() {
    ShopFleet fleet = ShopFleet.shop(7);
    FleetProbe probe = new FleetProbe(fleet);
    double rateBefore = probe.mean(10, LOAD, MetricNames.REQUEST_RATE, replica("checkout-1"));
    double cpuBefore = probe.mean(10, LOAD, MetricNames.CPU, replica("checkout-1"));

    fleet.kill("checkout-2");
    FleetSample s = probe.tick(LOAD);

    assertThat(FleetProbe.entities(s)).doesNotContain("shop/checkout-2").contains("shop/checkout-1");
    assertThat(s.logs()).anyMatch(l -> l.getMessage().contains("connection refused to checkout-2"));
    assertThat(probe.mean(10, LOAD, MetricNames.REQUEST_RATE, replica("checkout-1")) / rateBefore)
        .isBetween(1.35, 1.65);
    assertThat(probe.mean(10, LOAD, MetricNames.CPU, replica("checkout-1"))).isGreaterThan(cpuBefore * 1.25);
    assertThat(fleet.liveReplicas(CHECKOUT)).isEqualTo(2);

    fleet.restart("checkout-2");

    assertThat(fleet.liveReplicas(CHECKOUT)).isEqualTo(3);
    assertThat(FleetProbe.entities(probe.tick(LOAD))).contains("shop/checkout-2");
  }

  @Test
  void scalingInRemovesDeadReplicasFirst() {
    ShopFleet fleet = ShopFleet.shop(8);
    fleet.kill("checkout-2");

    fleet.scale(CHECKOUT, 2);

    assertThat(fleet.replicas(CHECKOUT)).containsExactly("checkout-1", "checkout-3");
    assertThat(fleet.liveReplicas(CHECKOUT)).isEqualTo(2);
  }

  @Test
  void restoringMinimumReplicasUndoesScaleInButKeepsScaleOut() {
    ShopFleet fleet = ShopFleet.shop(8);
    fleet.scale(FRONTEND, 5);
    fleet.scale(DATABASE, 1);

    fleet.restoreMinimumReplicas();

    assertThat(fleet.replicas(FRONTEND)).hasSize(5);
    assertThat(fleet.replicas(DATABASE)).containsExactly("database-1", "database-3");
  }

  @Test
  void aBadReleaseRaisesErrorsUntilFailoverRollsItBack() {
    ShopFleet fleet = ShopFleet.shop(9);
    FleetProbe probe = new FleetProbe(fleet);
    double before = probe.mean(10, LOAD, MetricNames.ERROR_RATIO, service(CHECKOUT));

    fleet.deployBadRelease(CHECKOUT, "v2", 0.2);

    assertThat(probe.mean(10, LOAD, MetricNames.ERROR_RATIO, service(CHECKOUT))).isGreaterThan(0.15);
    assertThat(probe.mean(10, LOAD, MetricNames.ERROR_RATIO, service(FRONTEND))).as("callers see the errors")
        .isGreaterThan(0.04);
    assertThat(fleet.failover(CHECKOUT)).isEqualTo("failed over checkout: rolled back v2 to v1");
    assertThat(fleet.release(CHECKOUT)).isEqualTo("v1");
    assertThat(probe.mean(10, LOAD, MetricNames.ERROR_RATIO, service(CHECKOUT))).isLessThan(before + 0.01);
  }

  @Test
  void aSlowDependencySlowsItsCallersButNotTheirCpu() {
    ShopFleet fleet = ShopFleet.shop(10);
    FleetProbe probe = new FleetProbe(fleet);
    double dbP99 = probe.mean(10, LOAD, MetricNames.LATENCY_P99, service(DATABASE));
    double checkoutP99 = probe.mean(10, LOAD, MetricNames.LATENCY_P99, service(CHECKOUT));
    double dbCpu = probe.mean(10, LOAD, MetricNames.CPU, service(DATABASE));

    fleet.slowDown(DATABASE, 300);

    assertThat(probe.mean(10, LOAD, MetricNames.LATENCY_P99, service(DATABASE))).isGreaterThan(dbP99 + 0.25);
    assertThat(probe.mean(10, LOAD, MetricNames.LATENCY_P99, service(CHECKOUT))).isGreaterThan(checkoutP99 + 0.25);
    assertThat(probe.mean(10, LOAD, MetricNames.CPU, service(DATABASE))).isCloseTo(dbCpu,
        org.assertj.core.data.Offset.offset(0.05));
    assertThat(fleet.failover("shop/database")).isEqualTo("failed over database: switched to standby storage");
    assertThat(probe.mean(10, LOAD, MetricNames.LATENCY_P99, service(DATABASE))).isLessThan(dbP99 * 1.2);
  }

  @Test
  void unknownTargetsAreRefusedWithTheKnownNames() {
    ShopFleet fleet = ShopFleet.shop(11);
    assertThatThrownBy(() -> fleet.restart("payments-1")).hasMessageContaining("no service 'payments'");
    assertThatThrownBy(() -> fleet.restart("checkout-9")).hasMessageContaining("no replica 'checkout-9'")
        .hasMessageContaining("checkout-1");
    assertThatThrownBy(() -> fleet.scale("cart", 2)).hasMessageContaining("[frontend, checkout, database]");
  }

  @Test
  void theSameSeedGivesTheSameTelemetry() {
    FleetProbe a = new FleetProbe(ShopFleet.shop(42));
    FleetProbe b = new FleetProbe(ShopFleet.shop(42));
    FleetProbe c = new FleetProbe(ShopFleet.shop(43));
    for (int i = 0; i < 5; i++) {
      FleetSample sa = a.tick(LOAD);
      FleetSample sb = b.tick(LOAD);
      FleetSample sc = c.tick(LOAD);
      assertThat(sa).isEqualTo(sb);
      assertThat(sa.metrics()).isNotEqualTo(sc.metrics());
    }
  }

  @Test
  void logsCarryTheReplicaAndItsService() {
    LogRecord l = new FleetProbe(ShopFleet.shop(12)).tick(LOAD).logs().get(3);
    assertThat(l.getEntityId()).isEqualTo("shop/checkout-1");
    assertThat(l.getAttributes()).containsEntry("service", CHECKOUT).containsEntry("namespace", "shop");
    assertThat(l.getMessage()).startsWith("POST /checkout 200");
  }
}
