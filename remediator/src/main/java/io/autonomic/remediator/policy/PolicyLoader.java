package io.autonomic.remediator.policy;

import io.autonomic.avro.ActionKind;
import io.autonomic.avro.Severity;
import io.autonomic.config.Durations;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads and validates the policy directory: every {@code *.yaml}/{@code *.yml} file, each holding a
 * {@code policies:} list and/or a {@code guardrails:} section (at most one file may hold guardrails).
 * Every error names the file, the line and the key; nothing half-valid is returned.
 */
public final class PolicyLoader {
  private PolicyLoader() {}

  private static final List<String> POLICY_KEYS = List.of("name", "dryRun", "match", "target", "cooldown",
      "verifyWindow", "groupWindow", "ladder");

  /** Loads every policy file of {@code dir}, sorted by name. */
  public static PolicySet loadDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new PolicyException(dir.toString(), 0, "", "policy directory not found");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml"));
      }).sorted().toList();
    } catch (IOException e) {
      throw new PolicyException(dir.toString(), 0, "", "cannot list: " + e.getMessage());
    }
    Map<String, String> contents = new LinkedHashMap<>();
    for (Path f : files) {
      try {
        contents.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new PolicyException(f.toString(), 0, "", "cannot read: " + e.getMessage());
      }
    }
    return load(contents);
  }

  /** A content hash of the directory's policy files, to notice changes cheaply. */
  public static String fingerprint(Map<String, String> contents) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      contents.forEach((name, text) -> {
        md.update(name.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(text.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      });
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Loads policy files given as name → YAML text. */
  public static PolicySet load(Map<String, String> contents) {
    List<Policy> policies = new ArrayList<>();
    GuardrailSettings guardrails = null;
    String guardrailFile = null;
    Map<String, String> names = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : contents.entrySet()) {
      YamlNode root = parse(new StringReader(e.getValue()), e.getKey());
      if (root.isNull() || root.isMap() && root.fields().isEmpty()) {
        continue;
      }
      root.onlyKeys("policies", "guardrails");
      YamlNode g = root.get("guardrails");
      if (g != null) {
        if (guardrails != null) {
          throw g.error("guardrails are already defined in " + guardrailFile + "; define them in one file");
        }
        guardrails = guardrails(g);
        guardrailFile = e.getKey();
      }
      YamlNode ps = root.get("policies");
      if (ps != null) {
        for (YamlNode p : ps.items()) {
          Policy policy = policy(p);
          String earlier = names.putIfAbsent(policy.name(), policy.source());
          if (earlier != null) {
            throw p.require("name").error("policy '" + policy.name() + "' is already defined at " + earlier);
          }
          policies.add(policy);
        }
      }
    }
    return new PolicySet(List.copyOf(policies), guardrails == null ? GuardrailSettings.defaults() : guardrails,
        fingerprint(contents));
  }

  static YamlNode parse(Reader r, String file) {
    return YamlNode.parse(r, file);
  }

  static Policy policy(YamlNode p) {
    p.onlyKeys(POLICY_KEYS.toArray(String[]::new));
    String name = p.require("name").text();
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw p.require("name").error("policy names use letters, digits, '.', '_' and '-' only (they are part of "
          + "command ids), got '" + name + "'");
    }
    Policy.Match match = match(p.get("match"));
    Policy.TargetTemplate target = target(p.require("target"), true);
    YamlNode ladderNode = p.require("ladder");
    List<Policy.Step> ladder = new ArrayList<>();
    for (YamlNode s : ladderNode.items()) {
      ladder.add(step(s, ladder.size(), target));
    }
    if (ladder.isEmpty()) {
      throw ladderNode.error("the ladder needs at least one step");
    }
    return new Policy(name, p.file() + ":" + p.line(), bool(p.get("dryRun"), false), match, target,
        duration(p.get("cooldown"), null), duration(p.get("verifyWindow"), Duration.ofMinutes(5)),
        duration(p.get("groupWindow"), Duration.ofMinutes(10)), List.copyOf(ladder));
  }

  private static Policy.Match match(YamlNode m) {
    if (m == null) {
      return new Policy.Match(Set.of(), Map.of(), List.of(), Severity.INFO, Duration.ZERO);
    }
    m.onlyKeys("entityKinds", "labels", "signals", "metrics", "features", "minSeverity", "for");
    Set<String> kinds = new LinkedHashSet<>(strings(m.get("entityKinds")));
    Map<String, String> labels = new LinkedHashMap<>();
    YamlNode l = m.get("labels");
    if (l != null) {
      l.fields().forEach((k, v) -> labels.put(k, v.text()));
    }
    List<Glob> signals = new ArrayList<>();
    for (String key : List.of("signals", "metrics", "features")) {
      strings(m.get(key)).forEach(s -> signals.add(Glob.of(s)));
    }
    return new Policy.Match(Set.copyOf(kinds), Map.copyOf(labels), List.copyOf(signals),
        enumValue(m.get("minSeverity"), Severity.class, Severity.INFO), duration(m.get("for"), Duration.ZERO));
  }

  private static Policy.TargetTemplate target(YamlNode t, boolean required) {
    if (t == null) {
      return null;
    }
    t.onlyKeys("kind", "namespace", "name");
    YamlNode ns = t.get("namespace");
    return new Policy.TargetTemplate(t.require("kind").text(), ns == null ? null : ns.text(),
        t.require("name").text());
  }

  private static Policy.Step step(YamlNode s, int index, Policy.TargetTemplate defaultTarget) {
    s.onlyKeys("action", "target", "params", "scaleOut", "maxReplicas", "capacity", "predictive", "destructive",
        "dryRun");
    YamlNode actionNode = s.require("action");
    ActionKind action = enumValue(actionNode, ActionKind.class, null);
    if (action == ActionKind.UNKNOWN) {
      throw actionNode.error("UNKNOWN is not an action");
    }
    Map<String, String> params = new LinkedHashMap<>();
    YamlNode pn = s.get("params");
    if (pn != null) {
      pn.fields().forEach((k, v) -> params.put(k, v.text()));
    }
    Integer scaleOut = null;
    YamlNode so = s.get("scaleOut");
    if (so != null) {
      String text = so.text().trim();
      String digits = text.endsWith("%") ? text.substring(0, text.length() - 1).trim() : text;
      scaleOut = positiveInt(so, digits);
    }
    Integer maxReplicas = s.get("maxReplicas") == null ? null : positiveInt(s.get("maxReplicas"),
        s.get("maxReplicas").text());
    Policy.Capacity capacity = null;
    YamlNode c = s.get("capacity");
    if (c != null) {
      c.onlyKeys("feature", "perReplica");
      double per = number(c.require("perReplica"));
      if (per <= 0) {
        throw c.require("perReplica").error("must be greater than 0");
      }
      capacity = new Policy.Capacity(c.require("feature").text(), per);
    }
    boolean predictive = bool(s.get("predictive"), false);
    if (action == ActionKind.SCALE) {
      if (scaleOut == null && capacity == null && !params.containsKey("replicas")) {
        throw s.error("a SCALE step needs scaleOut, capacity or params.replicas");
      }
    } else if (scaleOut != null || capacity != null) {
      throw s.error("scaleOut and capacity apply to SCALE steps only, not " + action);
    }
    if (predictive && capacity == null) {
      throw s.get("predictive").error("predictive scaling needs capacity (the load feature and per-replica load)");
    }
    YamlNode d = s.get("destructive");
    boolean destructive = d == null ? action == ActionKind.DELETE_POD || action == ActionKind.FAILOVER : bool(d, false);
    Policy.TargetTemplate target = target(s.get("target"), false);
    return new Policy.Step(index, action, target, Map.copyOf(params), scaleOut, maxReplicas, capacity, predictive,
        destructive, bool(s.get("dryRun"), false));
  }

  static GuardrailSettings guardrails(YamlNode g) {
    g.onlyKeys("killSwitch", "allowedNamespaces", "protectedTargets", "cooldown", "rateLimit", "replicas",
        "approval", "maintenance", "silences");
    GuardrailSettings d = GuardrailSettings.defaults();
    int perTarget = d.perTargetLimit();
    int global = d.globalLimit();
    Duration period = d.ratePeriod();
    YamlNode rl = g.get("rateLimit");
    if (rl != null) {
      rl.onlyKeys("perTarget", "global", "per");
      perTarget = rl.get("perTarget") == null ? perTarget : positiveInt(rl.get("perTarget"), rl.get("perTarget").text());
      global = rl.get("global") == null ? global : positiveInt(rl.get("global"), rl.get("global").text());
      period = duration(rl.get("per"), period);
    }
    int min = d.minReplicas();
    int max = d.maxReplicas();
    int maxStep = d.maxStep();
    YamlNode r = g.get("replicas");
    if (r != null) {
      r.onlyKeys("min", "max", "maxStep");
      min = r.get("min") == null ? min : nonNegativeInt(r.get("min"));
      max = r.get("max") == null ? max : positiveInt(r.get("max"), r.get("max").text());
      maxStep = r.get("maxStep") == null ? maxStep : positiveInt(r.get("maxStep"), r.get("maxStep").text());
      if (min > max) {
        throw r.error("min (" + min + ") is greater than max (" + max + ")");
      }
    }
    Set<ActionKind> approvalKinds = d.approvalKinds();
    Duration ttl = d.approvalTtl();
    YamlNode a = g.get("approval");
    if (a != null) {
      a.onlyKeys("kinds", "ttl");
      if (a.get("kinds") != null) {
        Set<ActionKind> kinds = EnumSet.noneOf(ActionKind.class);
        for (YamlNode k : a.get("kinds").items()) {
          kinds.add(enumValue(k, ActionKind.class, null));
        }
        approvalKinds = Set.copyOf(kinds);
      }
      ttl = duration(a.get("ttl"), ttl);
    }
    List<GuardrailSettings.MaintenanceWindow> windows = new ArrayList<>();
    if (g.get("maintenance") != null) {
      for (YamlNode w : g.get("maintenance").items()) {
        windows.add(window(w, windows.size()));
      }
    }
    List<GuardrailSettings.Silence> silences = new ArrayList<>();
    if (g.get("silences") != null) {
      for (YamlNode s : g.get("silences").items()) {
        s.onlyKeys("name", "matchers", "until", "comment");
        Map<String, Glob> matchers = new LinkedHashMap<>();
        s.require("matchers").fields().forEach((k, v) -> matchers.put(k, Glob.of(v.text())));
        silences.add(new GuardrailSettings.Silence(text(s.get("name"), "silence-" + silences.size()),
            Map.copyOf(matchers), instant(s.require("until")), text(s.get("comment"), "")));
      }
    }
    return new GuardrailSettings(bool(g.get("killSwitch"), false), globs(g.get("allowedNamespaces")),
        globs(g.get("protectedTargets")), duration(g.get("cooldown"), d.cooldown()), perTarget, global, period,
        min, max, maxStep, approvalKinds, ttl, List.copyOf(windows), List.copyOf(silences));
  }

  private static GuardrailSettings.MaintenanceWindow window(YamlNode w, int index) {
    w.onlyKeys("name", "targets", "start", "end", "days", "from", "to", "zone");
    String name = text(w.get("name"), "maintenance-" + index);
    List<Glob> targets = globs(w.get("targets"));
    if (w.get("start") != null || w.get("end") != null) {
      Instant start = instant(w.require("start"));
      Instant end = instant(w.require("end"));
      if (!end.isAfter(start)) {
        throw w.require("end").error("end must be after start");
      }
      return new GuardrailSettings.MaintenanceWindow(name, targets, start, end, Set.of(), null, null, null);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String day : strings(w.get("days"))) {
      days.add(dayOfWeek(w.get("days"), day));
    }
    ZoneId zone = ZoneOffset.UTC;
    if (w.get("zone") != null) {
      try {
        zone = ZoneId.of(w.get("zone").text());
      } catch (RuntimeException e) {
        throw w.get("zone").error("unknown time zone '" + w.get("zone").text() + "'");
      }
    }
    return new GuardrailSettings.MaintenanceWindow(name, targets, null, null, Set.copyOf(days),
        time(w.require("from")), time(w.require("to")), zone);
  }

  private static DayOfWeek dayOfWeek(YamlNode n, String day) {
    String d = day.trim().toUpperCase(Locale.ROOT);
    for (DayOfWeek w : DayOfWeek.values()) {
      if (w.name().equals(d) || w.name().startsWith(d) && d.length() == 3) {
        return w;
      }
    }
    throw n.error("unknown day '" + day + "'; use MON, TUE, WED, THU, FRI, SAT or SUN");
  }

  private static LocalTime time(YamlNode n) {
    try {
      return LocalTime.parse(n.text().trim());
    } catch (RuntimeException e) {
      throw n.error("expected a time of day like 02:00, got '" + n.text() + "'");
    }
  }

  private static Instant instant(YamlNode n) {
    try {
      return Instant.parse(n.text().trim());
    } catch (RuntimeException e) {
      throw n.error("expected an instant like 2026-11-26T02:00:00Z, got '" + n.text() + "'");
    }
  }

  private static List<Glob> globs(YamlNode n) {
    return strings(n).stream().map(Glob::of).toList();
  }

  private static List<String> strings(YamlNode n) {
    if (n == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (YamlNode i : n.items()) {
      out.add(i.text());
    }
    return out;
  }

  private static String text(YamlNode n, String dflt) {
    return n == null ? dflt : n.text();
  }

  private static boolean bool(YamlNode n, boolean dflt) {
    if (n == null) {
      return dflt;
    }
    String v = n.text().trim().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw n.error("expected true or false, got '" + n.text() + "'");
  }

  private static Duration duration(YamlNode n, Duration dflt) {
    if (n == null) {
      return dflt;
    }
    try {
      Duration d = Durations.parse(n.text());
      if (d.isNegative()) {
        throw n.error("must not be negative");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw n.error(e.getMessage());
    }
  }

  private static int positiveInt(YamlNode n, String text) {
    int v = integer(n, text);
    if (v <= 0) {
      throw n.error("must be a whole number greater than 0, got '" + n.text() + "'");
    }
    return v;
  }

  private static int nonNegativeInt(YamlNode n) {
    int v = integer(n, n.text());
    if (v < 0) {
      throw n.error("must not be negative");
    }
    return v;
  }

  private static int integer(YamlNode n, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw n.error("expected a whole number, got '" + n.text() + "'");
    }
  }

  private static double number(YamlNode n) {
    try {
      return Double.parseDouble(n.text().trim());
    } catch (NumberFormatException e) {
      throw n.error("expected a number, got '" + n.text() + "'");
    }
  }

  private static <E extends Enum<E>> E enumValue(YamlNode n, Class<E> type, E dflt) {
    if (n == null) {
      return dflt;
    }
    String v = n.text().trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    throw n.error("unknown value '" + n.text() + "'; expected one of "
        + java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).filter(x -> !x.equals("UNKNOWN")).toList());
  }
}
