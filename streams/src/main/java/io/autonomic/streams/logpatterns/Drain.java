package io.autonomic.streams.logpatterns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Drain, the fixed-depth parse tree log template miner of He, Zhu, Zheng and Lyu ("Drain: An Online Log Parsing
 * Approach with Fixed Depth Tree", ICWS 2017), following the behaviour of its maintained Python implementation
 * Drain3 (logpai/Drain3, {@code drain.py}): messages are routed by token count and then by their first
 * {@code depth - 2} tokens (tokens with digits go to a {@code <*>} branch, and a node has at most
 * {@code maxChildren} children), then matched against the leaf's templates by the share of equal tokens; below
 * the similarity threshold a new template is created, otherwise differing tokens become {@code <*>}.
 *
 * <p>Hand-written because no maintained Java implementation is published on Maven Central. Not thread-safe: one
 * instance per stream task.
 */
public final class Drain {
  public static final String WILDCARD = "<*>";

  private final int prefixDepth;
  private final double similarity;
  private final int maxChildren;
  private final Function<List<String>, String> idOf;
  private final Node root = new Node();
  /** Access-ordered: the least recently matched template is forgotten first beyond maxTemplates. */
  private final LinkedHashMap<String, Template> lru;
  /** The same templates without touching the LRU order, for candidate scoring. */
  private final Map<String, Template> byId = new HashMap<>();

  /** What {@link #add} did. */
  public enum Change {
    CREATED, TEMPLATE_CHANGED, NONE
  }

  /** A message's template after {@link #add}, and what happened to it. */
  public record Result(Template template, Change change) {}

  /** A log template (Drain3's LogCluster). */
  public static final class Template {
    private final String id;
    private List<String> tokens;
    private long size;

    Template(String id, List<String> tokens, long size) {
      this.id = id;
      this.tokens = List.copyOf(tokens);
      this.size = size;
    }

    public String id() {
      return id;
    }

    public List<String> tokens() {
      return tokens;
    }

    /** Number of messages matched, the first included. */
    public long size() {
      return size;
    }

    public String pattern() {
      return String.join(" ", tokens);
    }

    @Override
    public String toString() {
      return id + " (size " + size + "): " + pattern();
    }
  }

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    List<String> templateIds = new ArrayList<>();
  }

  /**
   * @param depth        depth of the tree including root and leaf (Drain3's default 4); at least 3
   * @param similarity   threshold st in [0,1] (Drain3's default 0.4)
   * @param maxChildren  children per internal node (Drain3's default 100)
   * @param maxTemplates templates kept; the least recently matched is forgotten beyond it
   * @param idOf         id of a new template, from the tokens of the message that created it
   */
  public Drain(int depth, double similarity, int maxChildren, int maxTemplates,
      Function<List<String>, String> idOf) {
    if (depth < 3) {
      throw new IllegalArgumentException("Drain depth must be at least 3, got " + depth);
    }
    this.prefixDepth = depth - 2;
    this.similarity = similarity;
    this.maxChildren = maxChildren;
    this.idOf = idOf;
    this.lru = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
        if (size() > maxTemplates) {
          byId.remove(eldest.getKey());
          return true;
        }
        return false;
      }
    };
  }

  /** Drain3's defaults: depth 4, st 0.4, 100 children, ids numbered 1, 2, 3... in creation order. */
  public static Drain withDefaults() {
    int[] next = {0};
    return new Drain(4, 0.4, 100, Integer.MAX_VALUE, tokens -> Integer.toString(++next[0]));
  }

  /** Splits a message into tokens on whitespace, as Drain3 does. */
  public static List<String> tokenize(String message) {
    String trimmed = message.strip();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }

  /** Mines one message: finds or creates its template and generalizes the template where they differ. */
  public Result add(String message) {
    List<String> tokens = tokenize(message);
    Template match = treeSearch(tokens);
    if (match == null) {
      String id = idOf.apply(tokens);
      for (int n = 2; byId.containsKey(id); n++) {
        id = idOf.apply(tokens) + "-" + n;
      }
      Template created = new Template(id, tokens, 1);
      lru.put(id, created);
      byId.put(id, created);
      addToTree(created);
      return new Result(created, Change.CREATED);
    }
    List<String> merged = merge(tokens, match.tokens);
    Change change = merged.equals(match.tokens) ? Change.NONE : Change.TEMPLATE_CHANGED;
    match.tokens = merged;
    match.size++;
    lru.get(match.id); // touch
    return new Result(match, change);
  }

  /**
   * The template a message matches exactly (every token equal or a {@code <*>}), without learning from it; as
   * Drain3's {@code match}, which requires similarity 1 counting wildcards as equal.
   */
  public Optional<Template> match(String message) {
    List<String> tokens = tokenize(message);
    Template candidate = treeSearch(tokens, true);
    return Optional.ofNullable(candidate);
  }

  /** Puts back a template known from before (e.g. from the catalog after a restart). */
  public void restore(String id, List<String> templateTokens, long size) {
    if (byId.containsKey(id)) {
      return;
    }
    Template t = new Template(id, templateTokens, size);
    lru.put(id, t);
    byId.put(id, t);
    addToTree(t);
  }

  /** The templates currently kept. */
  public Collection<Template> templates() {
    return List.copyOf(byId.values());
  }

  private Template treeSearch(List<String> tokens) {
    return treeSearch(tokens, false);
  }

  private Template treeSearch(List<String> tokens, boolean exact) {
    Node parent = root.children.get(Integer.toString(tokens.size()));
    if (parent == null) {
      return null;
    }
    if (tokens.isEmpty()) {
      return parent.templateIds.isEmpty() ? null : byId.get(parent.templateIds.get(0));
    }
    int currentDepth = 1;
    for (String token : tokens) {
      if (currentDepth == prefixDepth || currentDepth == tokens.size()) {
        break;
      }
      Node next = parent.children.get(token);
      if (next == null) {
        next = parent.children.get(WILDCARD);
      }
      if (next == null) {
        return null;
      }
      parent = next;
      currentDepth++;
    }
    return fastMatch(parent.templateIds, tokens, exact);
  }

  private void addToTree(Template template) {
    List<String> tokens = template.tokens;
    Node parent = root.children.computeIfAbsent(Integer.toString(tokens.size()), k -> new Node());
    if (tokens.isEmpty()) {
      parent.templateIds = new ArrayList<>(List.of(template.id));
      return;
    }
    int currentDepth = 1;
    for (String token : tokens) {
      if (currentDepth == prefixDepth || currentDepth == tokens.size()) {
        List<String> ids = new ArrayList<>();
        ids.add(template.id);
        for (String id : parent.templateIds) {
          if (byId.containsKey(id) && !id.equals(template.id)) {
            ids.add(id); // forgotten templates are dropped from the leaf here, as in Drain3
          }
        }
        parent.templateIds = ids;
        break;
      }
      Node next = parent.children.get(token);
      if (next == null) {
        if (!hasDigit(token)) {
          if (parent.children.containsKey(WILDCARD)) {
            if (parent.children.size() < maxChildren) {
              next = new Node();
              parent.children.put(token, next);
            } else {
              next = parent.children.get(WILDCARD);
            }
          } else if (parent.children.size() + 1 < maxChildren) {
            next = new Node();
            parent.children.put(token, next);
          } else if (parent.children.size() + 1 == maxChildren) {
            next = new Node();
            parent.children.put(WILDCARD, next);
          } else {
            next = parent.children.get(WILDCARD);
          }
        } else {
          next = parent.children.computeIfAbsent(WILDCARD, k -> new Node());
        }
      }
      parent = next;
      currentDepth++;
    }
  }

  private Template fastMatch(List<String> ids, List<String> tokens, boolean exact) {
    double maxSim = -1;
    int maxParams = -1;
    Template best = null;
    for (String id : ids) {
      Template t = byId.get(id);
      if (t == null) {
        continue;
      }
      int same = 0;
      int params = 0;
      for (int i = 0; i < tokens.size(); i++) {
        String templateToken = t.tokens.get(i);
        if (templateToken.equals(WILDCARD)) {
          params++;
        } else if (templateToken.equals(tokens.get(i))) {
          same++;
        }
      }
      double sim = (double) (exact ? same + params : same) / tokens.size();
      if (sim > maxSim || (sim == maxSim && params > maxParams)) {
        maxSim = sim;
        maxParams = params;
        best = t;
      }
    }
    return maxSim >= (exact ? 1.0 : similarity) ? best : null;
  }

  private static List<String> merge(List<String> message, List<String> template) {
    List<String> out = new ArrayList<>(message.size());
    for (int i = 0; i < message.size(); i++) {
      out.add(message.get(i).equals(template.get(i)) ? message.get(i) : WILDCARD);
    }
    return out;
  }

  private static boolean hasDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
