package io.autonomic.remediator.policy;

import java.util.regex.Pattern;

/** A shell-style pattern where {@code *} matches any run of characters; everything else is literal. */
public record Glob(String pattern, Pattern regex) {
  public static Glob of(String pattern) {
    return new Glob(pattern, Pattern.compile(toRegex(pattern)));
  }

  private static String toRegex(String pattern) {
    String[] parts = pattern.split("\\*", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append(".*");
      }
      sb.append(Pattern.quote(parts[i]));
    }
    return sb.toString();
  }

  public boolean matches(String s) {
    return s != null && regex.matcher(s).matches();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
