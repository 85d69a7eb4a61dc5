package io.autonomic.demo.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * Offered load (frontend requests/s) with a daily shape: a night trough, a morning ramp, a midday plateau and an
 * evening peak, over a compressed day of {@code dayLength} simulated time, times slowly varying noise from the
 * seed (an AR(1) process, so the load wanders instead of jittering). Deterministic for a seed and call sequence.
 */
public final class LoadGenerator {
  private final double meanLoad;
  private final double amplitude;
  private final Duration dayLength;
  private final Instant dayStart;
  private final double noise;
  private final Random random;
  private double wander;

  /**
   * @param meanLoad  mean requests/s over a day
   * @param amplitude relative swing of the daily shape, e.g. 0.25 for ±25%
   * @param dayLength simulated length of one day
   * @param dayStart  simulated instant the day starts (midnight)
   * @param noise     relative standard deviation of the noise, e.g. 0.03
   * @param seed      seed of the noise
   */
  public LoadGenerator(double meanLoad, double amplitude, Duration dayLength, Instant dayStart, double noise,
      long seed) {
    if (meanLoad <= 0 || amplitude < 0 || amplitude >= 1 || dayLength.isNegative() || dayLength.isZero()) {
      throw new IllegalArgumentException("invalid load shape");
    }
    this.meanLoad = meanLoad;
    this.amplitude = amplitude;
    this.dayLength = dayLength;
    this.dayStart = dayStart;
    this.noise = noise;
    this.random = new Random(seed);
  }

  /** The daily shape at {@code at}, in [1 - amplitude, 1 + amplitude], without noise. */
  public double shape(Instant at) {
    double phase = Math.floorMod(Duration.between(dayStart, at).toMillis(), dayLength.toMillis())
        / (double) dayLength.toMillis();
    // Trough at 04:00, main peak late afternoon, a smaller midday bump: two harmonics, normalized to [-1, 1].
    double x = -Math.cos(2 * Math.PI * (phase - 1.0 / 6)) + 0.3 * Math.sin(4 * Math.PI * (phase - 1.0 / 6));
    return 1 + amplitude * (x / 1.3);
  }

  /** The load at {@code at}; call once per tick (each call advances the noise). */
  public double next(Instant at) {
    wander = 0.9 * wander + Math.sqrt(1 - 0.81) * random.nextGaussian();
    return meanLoad * shape(at) * Math.max(0.1, 1 + noise * wander);
  }
}
