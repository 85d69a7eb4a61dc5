package io.autonomic.flinkjobs.eval;

/**
 * One NAB application profile: the weights of NAB's config/profiles.json. All weights are
 * positive, as in NAB; the scorer applies the signs.
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

  public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);
  public static final NabProfile REWARD_LOW_FP_RATE =
      new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);
  public static final NabProfile REWARD_LOW_FN_RATE =
      new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);

  /** The three NAB profiles, standard first. */
  public static final java.util.List<NabProfile> ALL =
      java.util.List.of(STANDARD, REWARD_LOW_FP_RATE, REWARD_LOW_FN_RATE);
}
