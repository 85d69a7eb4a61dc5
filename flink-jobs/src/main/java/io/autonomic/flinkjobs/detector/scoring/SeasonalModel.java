package io.autonomic.flinkjobs.detector.scoring;

/**
 * Daily seasonality learned online: an exponentially weighted mean per time-of-day slot (UTC),
 * and the residual against it judged by the robust spread of recent residuals. The median
 * residual absorbs level shifts and trend, so the profile only carries the daily shape.
 *
 * <p>Many series are noisier at some hours than at others (tweet and request counts are busiest,
 * and most variable, at peak hours). Each slot therefore also keeps an exponentially weighted mean
 * absolute deviation of its values from its profile, and the residual's spread is at least
 * {@code slotScaleFactor} times that deviation: a deviation that is usual for this time of day
 * is not an anomaly even if it is large for the series as a whole. {@code slotScaleFactor} 0
 * disables the floor.
 *
 * <p>A mean per slot cannot learn a slot that alternates between two levels (a CPU that is at
 * 100% at this hour on some days only). Each slot therefore also remembers its last
 * {@code slotMemory} values, and a surprise (an error of at least {@link #SURPRISE_SPREADS}
 * spreads) whose value lies within {@link #RECURRENCE_TOLERANCE} spreads of a value this slot
 * took on an earlier day is a recurrence, not an anomaly: its likelihood weight is 0.
 * {@code slotMemory} 0 disables this.
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
  private final double slotScaleFactor;
  private final double[] slotDeviation;
  /** The slot's last values, as floats: a recurrence is judged within a quarter of a spread. */
  private final float[][] slotRecent;
  private final int[] slotRecentCount;
  /** The day of the slot's newest remembered value, and how many remembered values are of it. */
  private final long[] slotRecentLastDay;
  private final int[] slotRecentToday;

  /** The error, in spreads, from which a point is checked for a recurrence. */
  static final double SURPRISE_SPREADS = 3.0;

  /** How close, in spreads, an earlier value of the slot must be for a recurrence. */
  static final double RECURRENCE_TOLERANCE = 0.25;

  public SeasonalModel(
      int slotsPerDay, double alpha, int residualWindow, int warmup, double slotScaleFactor) {
    this(slotsPerDay, alpha, residualWindow, warmup, slotScaleFactor, 0);
  }

  public SeasonalModel(
      int slotsPerDay,
      double alpha,
      int residualWindow,
      int warmup,
      double slotScaleFactor,
      int slotMemory) {
    this.slotRecent = new float[slotsPerDay][slotMemory];
    this.slotRecentCount = new int[slotsPerDay];
    this.slotRecentLastDay = new long[slotsPerDay];
    this.slotRecentToday = new int[slotsPerDay];
    this.slots = slotsPerDay;
    this.slotScaleFactor = slotScaleFactor;
    this.slotDeviation = new double[slotsPerDay];
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
        double scale = Math.max(RobustScale.of(residuals), slotScaleFactor * slotDeviation[slot]);
        double err = (residual - med) / scale;
        double weight =
            Math.abs(err) >= SURPRISE_SPREADS && recurs(slot, day, value, scale) ? 0.0 : 1.0;
        out = new RawError(RobustScale.compress(err), slotMean[slot] + med, weight);
      }
      residuals.add(residual);
    }
    if (learned) {
      double dev = Math.abs(value - slotMean[slot]);
      slotDeviation[slot] =
          slotDeviation[slot] == 0 ? dev : slotDeviation[slot] + alpha * (dev - slotDeviation[slot]);
    }
    float[] recent = slotRecent[slot];
    if (recent.length > 0) {
      recent[slotRecentCount[slot] % recent.length] = (float) value;
      if (slotRecentCount[slot] == 0 || day > slotRecentLastDay[slot]) {
        slotRecentLastDay[slot] = day;
        slotRecentToday[slot] = 0;
      }
      // A value of an earlier day arriving late counts as today's, so it is never judged
      // against a value of its own day.
      slotRecentToday[slot]++;
      slotRecentCount[slot]++;
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

  /** Whether this slot took a value within the tolerance of {@code value} on an earlier day. */
  private boolean recurs(int slot, long day, double value, double scale) {
    float[] recent = slotRecent[slot];
    int count = slotRecentCount[slot];
    int n = Math.min(recent.length, count);
    // Values are kept in arrival order, so those of the current day are the newest ones.
    int sameDay = day > slotRecentLastDay[slot] ? 0 : Math.min(slotRecentToday[slot], n);
    for (int k = sameDay; k < n; k++) {
      int i = Math.floorMod(count - 1 - k, recent.length);
      if (Math.abs(recent[i] - value) <= RECURRENCE_TOLERANCE * scale) {
        return true;
      }
    }
    return false;
  }
}
