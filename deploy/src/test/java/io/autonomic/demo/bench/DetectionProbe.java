package io.autonomic.demo.bench;

import io.autonomic.avro.MetricPoint;
import io.autonomic.demo.fleet.ShopFleet;
import io.autonomic.demo.scenario.Scenario;
import io.autonomic.demo.sim.DemoPlan;
import io.autonomic.demo.sim.Simulation;
import io.autonomic.flinkjobs.detector.anomaly.FeatureScorers;
import io.autonomic.flinkjobs.detector.anomaly.ScorerFactory;
import io.autonomic.flinkjobs.detector.anomaly.WindowScore;
import io.autonomic.flinkjobs.detector.scoring.Scorers;
import java.time.Duration;
import java.time.Instant;
import java.util.*;

/** Offline: the simulated fleet's series through the detector's scoring, one window per tick. */
public final class DetectionProbe {
  public static void main(String[] args) {
    Duration total = Duration.ofSeconds(Long.parseLong(args[0]));
    long seed = Long.parseLong(args[1]);
    String scorer = args[2];
    double threshold = Double.parseDouble(args[3]);
    int warmupTicks = Integer.parseInt(args[4]);
    String[] feats = {"mean", "max"};
    ScorerFactory f;
    if (scorer.startsWith("cal")) {
      String[] a = scorer.split(":");
      int hist = Integer.parseInt(a[1]);
      int learn = Integer.parseInt(a[2]);
      int re = Integer.parseInt(a[3]);
      f = () -> new io.autonomic.flinkjobs.detector.scoring.CalibratedScorer(
          new io.autonomic.flinkjobs.detector.scoring.LevelModel(1000, 30),
          new io.autonomic.flinkjobs.detector.scoring.AnomalyLikelihood(1, learn, hist, re, 0.1), "2");
    } else {
      f = () -> Scorers.create(scorer);
    }
    DemoPlan base = DemoPlan.fitting(total, "all", Instant.parse("2026-11-26T00:00:00Z"));
    DemoPlan plan = new DemoPlan(base.simStart(), base.step(), base.period(),
        base.step().multipliedBy(warmupTicks), base.slot(), base.dayLength(), base.scenarios());
    Simulation sim = Simulation.of(plan, seed);
    Map<String, FeatureScorers> state = new HashMap<>();
    long warmT = plan.warmup().dividedBy(plan.step());
    long slotT = plan.slot().dividedBy(plan.step());
    List<Scenario> sc = plan.scenarios();
    Map<String, String> firstHit = new LinkedHashMap<>();
    Map<String, Double> maxScore = new LinkedHashMap<>();
    int falseAlarms = 0;
    Set<String> falseSeries = new TreeSet<>();
    while (!sim.finished()) {
      Simulation.Tick t = sim.step();
      long k = t.index();
      int fi = k < warmT ? -1 : (int) ((k - warmT) / slotT);
      long inSlot = k - warmT - (long) fi * slotT;
      for (MetricPoint p : t.sample().metrics()) {
        String key = p.getEntityId() + " " + p.getMetric();
        FeatureScorers s = state.computeIfAbsent(key, x -> new FeatureScorers());
        WindowScore w = s.score(f, 10, p.getEventTime().toEpochMilli(), feats, new double[] {p.getValue(), p.getValue()});
        if (fi >= 0 && fi < sc.size() && inSlot < slotT * 6 / 10 + 10) {
          String svc = ShopFleet.serviceOf(p.getEntityId());
          if (sc.get(fi).affected().contains(svc)) {
            maxScore.merge(sc.get(fi).name() + " " + key, w.score, Math::max);
            if (w.score >= threshold) {
              firstHit.putIfAbsent(sc.get(fi).name(), "+" + inSlot + " ticks " + key + " " + String.format("%.3f", w.score));
            }
            continue;
          }
        }
        if (w.warmedUp && w.score >= threshold && k > warmupTicks) {
          falseAlarms++;
          falseSeries.add(key + " @" + k + (fi >= 0 ? " slot " + fi + "+" + inSlot : ""));
        }
      }
    }
    System.out.println("plan warmup ticks " + warmT + " slot ticks " + slotT);
    for (Scenario s : sc) {
      System.out.println(s.name() + ": " + firstHit.getOrDefault(s.name(), "MISSED"));
      maxScore.entrySet().stream().filter(e -> e.getKey().startsWith(s.name() + " "))
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(4)
          .forEach(e -> System.out.printf("    %.3f %s%n", e.getValue(), e.getKey()));
    }
    System.out.println("false alarms " + falseAlarms + " " + falseSeries.stream().limit(15).toList());
  }
}
