package io.mechsweep.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed values out of a YAML tree and collects one message per problem, naming the field
 * (dotted path), the value found and what is allowed. Collecting instead of throwing reports
 * every mistake of a config at once.
 */
public final class Fields {
  private final List<String> problems = new ArrayList<>();

  public List<String> problems() {
    return problems;
  }

  public void problem(String path, Object value, String allowed) {
    problems.add(path + ": got " + show(value) + "; allowed: " + allowed);
  }

  /** Flags keys that are not among {@code allowed} (typos would otherwise be silently ignored). */
  public void onlyKeys(JsonNode node, String path, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      return;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add(
            (path.isEmpty() ? "" : path + ".") + name + ": unknown field; allowed fields here: "
                + new TreeSet<>(allowed));
      }
    }
  }

  public JsonNode section(JsonNode root, String path) {
    JsonNode node = root.get(path.substring(path.lastIndexOf('.') + 1));
    if (node == null || node.isNull()) {
      problems.add(path + ": missing section");
      return null;
    }
    if (!node.isObject()) {
      problem(path, node, "a mapping of fields");
      return null;
    }
    return node;
  }

  public String string(JsonNode parent, String path, String fallback) {
    JsonNode n = child(parent, path);
    if (n == null) {
      return fallback;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      problem(path, n, "a non-empty string");
      return fallback;
    }
    return n.asText();
  }

  public int intIn(JsonNode parent, String path, Integer fallback, int min, int max) {
    JsonNode n = child(parent, path);
    if (n == null) {
      if (fallback == null) {
        problems.add(path + ": missing; allowed: an integer in [" + min + ", " + max + "]");
        return min;
      }
      return fallback;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
      problem(path, n, "an integer in [" + min + ", " + max + "]");
      return min;
    }
    return n.asInt();
  }

  public long longValue(JsonNode parent, String path, Long fallback) {
    JsonNode n = child(parent, path);
    if (n == null) {
      if (fallback == null) {
        problems.add(path + ": missing; allowed: an integer");
        return 0;
      }
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      problem(path, n, "an integer");
      return 0;
    }
    return n.asLong();
  }

  public double number(JsonNode parent, String path, Double fallback, double min, double max, boolean minOpen) {
    JsonNode n = child(parent, path);
    String allowed = "a number in " + (minOpen ? "(" : "[") + min + ", " + max + "]";
    if (n == null) {
      if (fallback == null) {
        problems.add(path + ": missing; allowed: " + allowed);
        return min;
      }
      return fallback;
    }
    if (!n.isNumber() || !inRange(n.asDouble(), min, max, minOpen)) {
      problem(path, n, allowed);
      return min;
    }
    return n.asDouble();
  }

  public boolean bool(JsonNode parent, String path, boolean fallback) {
    JsonNode n = child(parent, path);
    if (n == null) {
      return fallback;
    }
    if (!n.isBoolean()) {
      problem(path, n, "true or false");
      return fallback;
    }
    return n.asBoolean();
  }

  /** A number or a non-empty list of numbers (a grid axis). */
  public List<Double> numbers(JsonNode parent, String path, List<Double> fallback, double min, double max, boolean minOpen) {
    String allowed =
        "a number or a non-empty list of numbers in " + (minOpen ? "(" : "[") + min + ", " + max + "]";
    return list(parent, path, fallback, allowed,
        item -> item.isNumber() && inRange(item.asDouble(), min, max, minOpen), JsonNode::asDouble);
  }

  /** An integer or a non-empty list of integers (a grid axis). */
  public List<Long> integers(JsonNode parent, String path, List<Long> fallback, long min, long max) {
    String allowed = "an integer or a non-empty list of integers in [" + min + ", " + max + "]";
    return list(parent, path, fallback, allowed,
        item -> item.isIntegralNumber() && item.canConvertToLong() && item.asLong() >= min
            && item.asLong() <= max,
        JsonNode::asLong);
  }

  /** true, false, or a non-empty list of them (a grid axis). */
  public List<Boolean> booleans(JsonNode parent, String path, List<Boolean> fallback) {
    return list(parent, path, fallback, "true, false or a list of them", JsonNode::isBoolean, JsonNode::asBoolean);
  }

  /** One of an enum's names, or a non-empty list of them (a grid axis). */
  public <E extends Enum<E>> List<E> choices(JsonNode parent, String path, Class<E> type, List<E> fallback) {
    List<String> names = names(type);
    return list(parent, path, fallback, "one of " + names + " or a list of them",
        item -> item.isTextual() && names.contains(item.asText().toLowerCase(Locale.ROOT)),
        item -> Enum.valueOf(type, item.asText().toUpperCase(Locale.ROOT)));
  }

  /** A list (possibly empty) of distinct integers, e.g. layer indices. */
  public java.util.Set<Integer> integerSet(JsonNode parent, String path, java.util.Set<Integer> fallback, int min, int max) {
    JsonNode n = child(parent, path);
    if (n != null && n.isArray() && n.isEmpty()) {
      return java.util.Set.of();
    }
    List<Long> values = integers(parent, path, fallback == null ? null : List.of(), min, max);
    if (n == null) {
      return fallback;
    }
    java.util.Set<Integer> out = new java.util.TreeSet<>();
    values.forEach(v -> out.add(v.intValue()));
    return out;
  }

  /** A list (possibly empty) of strings. */
  public List<String> strings(JsonNode parent, String path, List<String> fallback) {
    JsonNode n = child(parent, path);
    if (n == null) {
      return fallback;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : n.isArray() ? n : List.of(n)) {
      if (!item.isTextual()) {
        problem(path, n, "a list of names");
        return fallback;
      }
      out.add(item.asText());
    }
    return out;
  }

  /** A scalar or a non-empty list whose every item passes {@code valid}. */
  private <T> List<T> list(
      JsonNode parent, String path, List<T> fallback, String allowed,
      java.util.function.Predicate<JsonNode> valid, java.util.function.Function<JsonNode, T> value) {
    JsonNode n = child(parent, path);
    if (n == null) {
      if (fallback == null) {
        problems.add(path + ": missing; allowed: " + allowed);
        return List.of();
      }
      return fallback;
    }
    List<T> out = new ArrayList<>();
    for (JsonNode item : n.isArray() ? n : List.of(n)) {
      if (!valid.test(item)) {
        problem(path, n, allowed);
        return List.of();
      }
      out.add(value.apply(item));
    }
    if (out.isEmpty()) {
      problem(path, n, allowed);
    }
    return out;
  }

  public <E extends Enum<E>> E choice(JsonNode parent, String path, Class<E> type, E fallback) {
    String text = string(parent, path, null);
    if (text == null) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text)) {
        return e;
      }
    }
    problem(path, text, "one of " + names(type));
    return fallback;
  }

  /** An enum's constants as written in configs: lower case. */
  private static List<String> names(Class<? extends Enum<?>> type) {
    List<String> names = new ArrayList<>();
    for (Enum<?> e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    return names;
  }

  private static JsonNode child(JsonNode parent, String path) {
    if (parent == null) {
      return null;
    }
    JsonNode n = parent.get(path.substring(path.lastIndexOf('.') + 1));
    return n == null || n.isNull() ? null : n;
  }

  private static boolean inRange(double v, double min, double max, boolean minOpen) {
    return Double.isFinite(v) && (minOpen ? v > min : v >= min) && v <= max;
  }

  private static String show(Object value) {
    if (value instanceof JsonNode n) {
      return n.isTextual() ? "'" + n.asText() + "'" : n.toString();
    }
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }
}
