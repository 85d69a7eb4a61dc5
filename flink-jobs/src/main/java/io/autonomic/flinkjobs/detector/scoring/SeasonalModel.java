package io.autonomic.flinkjobs.detector.scoring;

/**
 * Daily seasonality learned online: an exponentially weighted mean per time-of-day slot (UTC),
 * and the residual against it judged by the robust spread of recent residuals. The median
 * residual absorbs level shifts and trend, so the profile only carries the daily shape.
 */
public final class SeasonalModel implements RawErrorModel {

  private static final long serialVersionUID = 1L;
  private static final long DAY_MS = 86_400_000L;

  private final int slots;
  private final double alpha;
  private final double[] slotMean;
  private final int[] slotSeen;
  private final long[] slotDay;
  private final SlidingWindow residuals;
  private final int warmup;

  public SeasonalModel(int slotsPerDay, double alpha, int residualWindow, int warmup) {
    this.slots = slotsPerDay;
    this.alpha = alpha;
    this.slotMean = new double[slotsPerDay];
    this.slotSeen = new int[slotsPerDay];
    this.slotDay = new long[slotsPerDay];
    this.residuals = new SlidingWindow(residualWindow);
    this.warmup = warmup;
  }

  @Override
  public String name() {
    return "seasonal";
  }

  @Override
  public RawError observe(long eventTimeMillis, double value) {
    long day = Math.floorDiv(eventTimeMillis, DAY_MS);
    int slot = (int) (Math.floorMod(eventTimeMillis, DAY_MS) * slots / DAY_MS);
    RawError out = new RawError(Double.NaN, value);
    // Judge only against earlier days: a slot learned today would track the point itself.
    boolean learned = slotSeen[slot] > 0 && slotDay[slot] < day;
    if (learned) {
      double residual = value - slotMean[slot];
      if (residuals.size() >= warmup) {
        double med = residuals.median();
        double err = (residual - med) / RobustScale.of(residuals);
        out = new RawError(RobustScale.compress(err), slotMean[slot] + med);
      }
      residuals.add(residual);
    }
    if (slotSeen[slot] == 0) {
      slotMean[slot] = value;
    } else {
      slotMean[slot] += alpha * (value - slotMean[slot]);
    }
    if (slotDay[slot] != day || slotSeen[slot] == 0) {
      slotSeen[slot]++;
      slotDay[slot] = day;
    }
    return out;
  }
}
