package io.autonomic.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flat, layered configuration: dotted keys ({@code kafka.bootstrap.servers}) with the origin of each
 * value, so every error can name the file and line, the environment variable or the flag it came from.
 *
 * <p>Values may reference secrets instead of holding them: {@code ${env:NAME}} reads an environment
 * variable, {@code ${file:/path}} reads a file (trailing newline trimmed). References are resolved on
 * read, never logged; {@link #describe} hides secret values.
 */
public final class Config {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

  /** A raw value and where it came from ("autonomic.yaml:12", "env AUTONOMIC_KAFKA_BOOTSTRAP_SERVERS"). */
  public record Entry(String value, String origin) {}

  private final Map<String, Entry> entries; // file (and discovered) values, lowest precedence
  private final Map<String, Entry> flags; // --set overrides, highest precedence
  private final Map<String, String> env;

  Config(Map<String, Entry> entries, Map<String, Entry> flags, Map<String, String> env) {
    this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    this.flags = Collections.unmodifiableMap(new TreeMap<>(flags));
    this.env = env;
  }

  public static Config empty() {
    return new Config(Map.of(), Map.of(), System.getenv());
  }

  /** The value of an option, flags first, then the environment, then the file, else its default. */
  public <T> T get(ConfigOption<T> option) {
    Entry entry = lookup(option);
    if (entry == null) {
      return option.defaultValue();
    }
    String resolved = resolve(option.key(), entry);
    try {
      return option.parse(resolved);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(entry.origin() + ": key '" + option.key() + "': " + e.getMessage());
    }
  }

  public <T> Optional<T> getOptional(ConfigOption<T> option) {
    return Optional.ofNullable(get(option));
  }

  /** Where the option's value comes from, or "default". */
  public String originOf(ConfigOption<?> option) {
    Entry e = lookup(option);
    return e == null ? "default" : e.origin();
  }

  private Entry lookup(ConfigOption<?> option) {
    Entry flag = flags.get(option.key());
    if (flag != null) {
      return flag;
    }
    String fromEnv = env.get(option.envName());
    if (fromEnv != null) {
      return new Entry(fromEnv, "env " + option.envName());
    }
    return entries.get(option.key());
  }

  /**
   * Every key under {@code prefix.} with the prefix removed and references resolved, for pass-through
   * sections such as {@code kafka.*} that go to the Kafka clients as they are. Environment variables
   * {@code AUTONOMIC_<PREFIX>_<KEY>} add keys here too (underscores become dots).
   */
  public Map<String, String> section(String prefix) {
    String p = prefix + ".";
    Map<String, String> out = new TreeMap<>();
    entries.forEach((key, entry) -> {
      if (key.startsWith(p)) {
        out.put(key.substring(p.length()), resolve(key, entry));
      }
    });
    String envPrefix = ConfigOption.envNameOf(prefix) + "_";
    env.forEach((name, value) -> {
      if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
        String key = name.substring(envPrefix.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        out.put(key, resolve(p + key, new Entry(value, "env " + name)));
      }
    });
    flags.forEach((key, entry) -> {
      if (key.startsWith(p)) {
        out.put(key.substring(p.length()), resolve(key, entry));
      }
    });
    return out;
  }

  public Set<String> keys() {
    Set<String> all = new java.util.TreeSet<>(entries.keySet());
    all.addAll(flags.keySet());
    return all;
  }

  /**
   * Rejects keys that no option declares and that are not under a pass-through prefix, naming the
   * file and line of each and the closest declared key.
   */
  public void validate(Collection<ConfigOption<?>> declared, Collection<String> passThroughPrefixes) {
    List<String> problems = new ArrayList<>();
    Set<String> known = new java.util.HashSet<>();
    declared.forEach(o -> known.add(o.key()));
    Map<String, Entry> all = new TreeMap<>(entries);
    all.putAll(flags);
    for (Map.Entry<String, Entry> e : all.entrySet()) {
      String key = e.getKey();
      if (known.contains(key) || passThroughPrefixes.stream().anyMatch(p -> key.startsWith(p + "."))) {
        continue;
      }
      String hint = closest(key, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
      problems.add(e.getValue().origin() + ": unknown key '" + key + "'" + hint);
    }
    for (ConfigOption<?> option : declared) {
      get(option); // parse every declared value now, so errors surface at start-up, not mid-stream
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
  }

  /** One line per key for logs and {@code --print-config}: secrets and secret references hidden. */
  public String describe(Collection<ConfigOption<?>> declared) {
    StringBuilder sb = new StringBuilder();
    for (ConfigOption<?> o : declared) {
      Object v = get(o);
      String shown = o.isSecret() && v != null ? "[hidden]" : String.valueOf(v);
      sb.append(o.key()).append('=').append(shown).append("  (").append(originOf(o)).append(")\n");
    }
    return sb.toString();
  }

  /** Whether a pass-through key holds a secret, judged by its name (password, secret, jaas, token). */
  public static boolean looksSecret(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
        || k.contains("user.info") || k.endsWith(".key");
  }


  private String resolve(String key, Entry entry) {
    Matcher m = REFERENCE.matcher(entry.value());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String ref = m.group(2).trim();
      String value;
      if (kind.equals("env")) {
        value = env.get(ref);
        if (value == null) {
          throw new ConfigException(entry.origin() + ": key '" + key + "': environment variable " + ref
              + " is not set");
        }
      } else {
        try {
          value = Files.readString(Path.of(ref)).strip();
        } catch (java.io.IOException e) {
          throw new ConfigException(entry.origin() + ": key '" + key + "': cannot read secret file " + ref
              + ": " + e.getClass().getSimpleName());
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Optional<String> closest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = levenshtein(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
  }

  private static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
