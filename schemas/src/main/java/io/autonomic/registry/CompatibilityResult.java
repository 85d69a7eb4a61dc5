package io.autonomic.registry;

import java.util.List;

/** A registry's compatibility verdict, with its reasons when it gives them. */
public record CompatibilityResult(boolean compatible, List<String> messages) {
  public CompatibilityResult {
    messages = List.copyOf(messages);
  }
}
