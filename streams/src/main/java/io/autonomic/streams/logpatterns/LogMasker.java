package io.autonomic.streams.logpatterns;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Replaces variable parts of a log message (ids, IPs, hex, numbers) by named placeholders before mining, with
 * the masking rules of Drain3's example configuration ({@code examples/drain3.ini}), in the same order, plus
 * UUIDs. Masked tokens have no digits, so they route through Drain's tree like constants and match each other.
 */
public final class LogMasker {
  private record Rule(Pattern pattern, String mask) {}

  private static final String BEFORE = "((?<=[^A-Za-z0-9])|^)";
  private static final String AFTER = "((?=[^A-Za-z0-9])|$)";

  private static final List<Rule> RULES = List.of(
      new Rule(Pattern.compile(BEFORE + "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
          + AFTER), "<UUID>"),
      new Rule(Pattern.compile(BEFORE + "(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))" + AFTER), "<ID>"),
      new Rule(Pattern.compile(BEFORE + "(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})" + AFTER), "<IP>"),
      new Rule(Pattern.compile(BEFORE + "([0-9a-f]{6,} ?){3,}" + AFTER), "<SEQ>"),
      new Rule(Pattern.compile(BEFORE + "([0-9A-F]{4} ?){4,}" + AFTER), "<SEQ>"),
      new Rule(Pattern.compile(BEFORE + "(0x[a-f0-9A-F]+)" + AFTER), "<HEX>"),
      new Rule(Pattern.compile(BEFORE + "([\\-\\+]?\\d+)" + AFTER), "<NUM>"));

  /** The message with every rule applied in order. */
  public String mask(String message) {
    String out = message;
    for (Rule rule : RULES) {
      out = rule.pattern().matcher(out).replaceAll(rule.mask());
    }
    return out;
  }
}
