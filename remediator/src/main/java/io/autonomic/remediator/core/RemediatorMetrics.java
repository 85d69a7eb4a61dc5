package io.autonomic.remediator.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/** The remediator's metrics: decisions by kind and guardrail, commands, and MTTD / MTTR per policy. */
public final class RemediatorMetrics {
  private final MeterRegistry registry;

  public RemediatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public static RemediatorMetrics inMemory() {
    return new RemediatorMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void decision(String decision, String guardrail) {
    Counter.builder("remediator.decisions").description("Remediation decisions, by decision and guardrail")
        .tag("decision", decision).tag("guardrail", guardrail == null ? "none" : guardrail)
        .register(registry).increment();
  }

  public void command(String policy, String kind, boolean dryRun) {
    Counter.builder("remediator.commands").description("Commands issued, by policy and kind")
        .tag("policy", policy).tag("kind", kind).tag("dry_run", Boolean.toString(dryRun))
        .register(registry).increment();
  }

  public void unmatched() {
    Counter.builder("remediator.unmatched").description("Anomalies and incidents no policy matched")
        .register(registry).increment();
  }

  public void input(String kind) {
    Counter.builder("remediator.inputs").description("Records consumed, by kind").tag("kind", kind)
        .register(registry).increment();
  }

  public void mttd(String policy, Duration d) {
    Timer.builder("remediator.mttd").description("Time from onset to detection, per resolved incident")
        .tag("policy", policy).register(registry).record(d.isNegative() ? Duration.ZERO : d);
  }

  public void mttr(String policy, Duration d) {
    Timer.builder("remediator.mttr").description("Time from onset to verified recovery, per resolved incident")
        .tag("policy", policy).register(registry).record(d.isNegative() ? Duration.ZERO : d);
  }

  /** The count of decisions with this decision and guardrail so far (tests, status). */
  public double decisions(String decision, String guardrail) {
    Counter c = registry.find("remediator.decisions").tag("decision", decision)
        .tag("guardrail", guardrail == null ? "none" : guardrail).counter();
    return c == null ? 0 : c.count();
  }

  public long resolved(String policy) {
    Timer t = registry.find("remediator.mttr").tag("policy", policy).timer();
    return t == null ? 0 : t.count();
  }
}
