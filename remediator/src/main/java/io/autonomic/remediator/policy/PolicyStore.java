package io.autonomic.remediator.policy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy set in force, reloaded from a directory when its files change. A set that fails validation is
 * rejected as a whole (the error names file, line and key) and the previous good set stays in force.
 * {@link #reload()} is called periodically by the app; polling is simpler and more portable than a
 * WatchService (which misses changes on some mounted volumes, e.g. Kubernetes ConfigMaps' symlink swaps).
 */
public final class PolicyStore {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyStore.class);

  private final Path dir;
  private final AtomicReference<PolicySet> current = new AtomicReference<>(PolicySet.empty());
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger reloads = new AtomicInteger();
  private volatile String lastSeen = null;

  public PolicyStore(Path dir) {
    this.dir = dir;
  }

  /** A store with a fixed set (tests, or no directory). */
  public static PolicyStore fixed(PolicySet set) {
    PolicyStore s = new PolicyStore(null);
    s.current.set(set);
    return s;
  }

  public PolicySet current() {
    return current.get();
  }

  /** Loads the directory; throws if the first load fails, so a bad start is loud. */
  public PolicySet loadInitial() {
    PolicySet set = PolicyLoader.loadDirectory(dir);
    install(set);
    return set;
  }

  /**
   * Reloads if the files changed. Returns the error when the new files are invalid (the old set stays),
   * empty otherwise.
   */
  public Optional<PolicyException> reload() {
    if (dir == null) {
      return Optional.empty();
    }
    try {
      PolicySet set = PolicyLoader.loadDirectory(dir);
      if (set.fingerprint().equals(current.get().fingerprint())) {
        lastSeen = set.fingerprint();
        return Optional.empty();
      }
      install(set);
      return Optional.empty();
    } catch (PolicyException e) {
      String msg = e.getMessage();
      if (!msg.equals(lastError.get())) { // one line per distinct error, not one per poll
        LOG.error("policy reload rejected, keeping {} policies (set {}): {}", current.get().policies().size(),
            current.get().fingerprint(), msg);
        failures.incrementAndGet();
      }
      lastError.set(msg);
      return Optional.of(e);
    }
  }

  private void install(PolicySet set) {
    current.set(set);
    lastError.set(null);
    lastSeen = set.fingerprint();
    reloads.incrementAndGet();
    LOG.info("policies loaded: {} policies (set {}) from {}", set.policies().size(), set.fingerprint(), dir);
  }

  /** Distinct rejected reloads so far. */
  public int failures() {
    return failures.get();
  }

  /** Successful loads so far. */
  public int reloads() {
    return reloads.get();
  }

  public Optional<String> lastError() {
    return Optional.ofNullable(lastError.get());
  }
}
