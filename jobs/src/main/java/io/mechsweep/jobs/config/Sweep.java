package io.mechsweep.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A study's {@code sweep:} block: grid axes keyed by dotted paths ({@code model.d_model: [64,
 * 128]}), with optional {@code zip:} groups of axes that move together. {@link #points} turns it
 * into one plain config tree per grid point, which the parser then reads with single values only.
 * The axes vary outermost-first in the order written; the config's own list axes (γ, depth,
 * seeds, …) vary inside each point.
 */
public record Sweep(List<Axis> axes, List<List<String>> zips) implements Serializable {
  public static final Sweep NONE = new Sweep(List.of(), List.of());
  /** Grid points one study expands; a larger grid gets its counts from {@code plan}, not a hang. */
  public static final int MAX_POINTS = 10_000;
  /**
   * Fields that cannot be axes: what names the study and its table partition, what sizes packs
   * for the executors, the sets every run is evaluated and probed on (one dataset load per
   * study), and fields whose value is itself a list.
   */
  static final Set<String> NOT_SWEEPABLE = Set.of("study", "task.name", "training.pack_size",
      "training.gpu_memory_gib", "evaluation.max_rows_per_set", "probes.rows_per_set", "model.frozen",
      "model.mlp_removed_layers", "task.train_chain_lengths", "task.test_chain_lengths", "task.curriculum");
  /** Fields whose one value is a list: {@code --set} takes a list given for them as that value. */
  static final Set<String> LIST_VALUED = Set.of("model.frozen", "model.mlp_removed_layers",
      "task.train_chain_lengths", "task.test_chain_lengths", "task.curriculum");
  private static final Set<String> SECTIONS =
      Set.of("task", "model", "training", "seeds", "evaluation", "probes", "checkpoints", "logging");

  /** One axis: a dotted path and its values, each a scalar as it would be written at the path. */
  public record Axis(String path, List<JsonNode> values) implements Serializable {
    /** The path's last part, as run names show it ({@code d_model}). */
    public String shortName() {
      return path.substring(path.lastIndexOf('.') + 1);
    }
  }

  /** One grid point: each axis's value, in axis order. */
  public record Point(Map<String, JsonNode> values) {
    /** {@code model.d_model=128 training.batch_size=64}, what errors of this point start with. */
    public String label() {
      List<String> parts = new ArrayList<>();
      values.forEach((path, value) -> parts.add(path + "=" + text(value)));
      return String.join(" ", parts);
    }
  }

  /** The block under {@code sweep} (null: none); problems go to {@code f}. */
  static Sweep read(JsonNode block, Fields f) {
    if (block == null || block.isNull()) {
      return NONE;
    }
    if (!block.isObject()) {
      f.problem("sweep", block, "a mapping of dotted field paths to lists of values, e.g. model.d_model: [64, 128]");
      return NONE;
    }
    List<Axis> axes = new ArrayList<>();
    List<List<String>> zips = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = block.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (e.getKey().equals("zip")) {
        continue;
      }
      Axis axis = axis(e.getKey(), e.getValue(), f);
      if (axis != null) {
        axes.add(axis);
      }
    }
    JsonNode zip = block.get("zip");
    if (zip != null) {
      readZips(zip, axes, zips, f);
    }
    return new Sweep(List.copyOf(axes), List.copyOf(zips));
  }

  private static Axis axis(String path, JsonNode values, Fields f) {
    String where = "sweep." + path;
    String section = path.split("\\.", -1)[0];
    if (NOT_SWEEPABLE.contains(path)) {
      f.problem(where, values, "no axis here: " + path + " is the same for every run of a study; set it"
          + " once, or run one study per value");
      return null;
    }
    if (!path.contains(".") && !path.equals("seeds") || !SECTIONS.contains(section) || path.contains("..")
        || path.endsWith(".")) {
      f.problem(where, values, "a dotted path to one field of the config, e.g. model.d_model or"
          + " training.adamw.beta2 (sections: " + new java.util.TreeSet<>(SECTIONS) + ")");
      return null;
    }
    if (!values.isArray() || values.isEmpty()) {
      f.problem(where, values, "a non-empty list of values, e.g. [64, 128]");
      return null;
    }
    List<JsonNode> list = new ArrayList<>();
    Set<JsonNode> seen = new HashSet<>();
    for (JsonNode v : values) {
      if (!v.isValueNode() || v.isNull()) {
        f.problem(where, v, "scalar values (a number, true/false or a word): each is one grid point");
        return null;
      }
      if (!seen.add(v)) {
        f.problem(where, values, "distinct values (a repeated value would train the same runs twice)");
        return null;
      }
      list.add(v);
    }
    return new Axis(path, List.copyOf(list));
  }

  private static void readZips(JsonNode zip, List<Axis> axes, List<List<String>> zips, Fields f) {
    if (!zip.isArray()) {
      f.problem("sweep.zip", zip, "a list of groups of axes that move together, e.g. [[model.d_model, model.d_ff]]");
      return;
    }
    Set<String> zipped = new HashSet<>();
    for (JsonNode group : zip) {
      List<String> paths = new ArrayList<>();
      if (group.isArray()) {
        group.forEach(p -> paths.add(p.asText()));
      }
      if (!group.isArray() || paths.size() < 2) {
        f.problem("sweep.zip", group, "a group of two or more axes of this sweep block, e.g. [model.d_model, model.d_ff]");
        continue;
      }
      Integer size = null;
      for (String p : paths) {
        Axis a = axes.stream().filter(x -> x.path().equals(p)).findFirst().orElse(null);
        if (a == null || !zipped.add(p)) {
          f.problem("sweep.zip", group, a == null ? "axes of this sweep block (" + p + " is not one)"
              : "each axis in one group at most (" + p + " is in two)");
          break;
        }
        if (size != null && a.values().size() != size) {
          f.problem("sweep.zip", group, "axes with equal numbers of values (they move together)");
          break;
        }
        size = a.values().size();
      }
      zips.add(List.copyOf(paths));
    }
  }

  public boolean isEmpty() {
    return axes.isEmpty();
  }

  /** How many grid points the block makes, counted without listing them. */
  public long pointCount() {
    long n = 1;
    for (List<Axis> group : groups()) {
      n = Math.multiplyExact(n, group.get(0).values().size());
    }
    return n;
  }

  /** Every grid point, outermost axis first; call only when {@link #pointCount} is listable. */
  public List<Point> points() {
    return points(Long.MAX_VALUE);
  }

  /** The first {@code limit} grid points. */
  public List<Point> points(long limit) {
    List<Point> out = new ArrayList<>();
    out.add(new Point(new LinkedHashMap<>()));
    for (List<Axis> group : groups()) {
      List<Point> next = new ArrayList<>();
      for (Point p : out) {
        for (int i = 0; i < group.get(0).values().size(); i++) {
          Map<String, JsonNode> values = new LinkedHashMap<>(p.values());
          for (Axis a : group) {
            values.put(a.path(), a.values().get(i));
          }
          next.add(new Point(values));
        }
      }
      out = next.size() > limit ? next.subList(0, (int) limit) : next;
    }
    return out;
  }

  /** Axes grouped as they vary: a zip group as one, every other axis alone, in the order written. */
  private List<List<Axis>> groups() {
    List<List<Axis>> out = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    for (Axis a : axes) {
      if (!placed.add(a.path())) {
        continue;
      }
      List<String> zip = zips.stream().filter(z -> z.contains(a.path())).findFirst().orElse(List.of(a.path()));
      List<Axis> group = new ArrayList<>();
      for (String p : zip) {
        placed.add(p);
        axes.stream().filter(x -> x.path().equals(p)).forEach(group::add);
      }
      out.add(group);
    }
    return out;
  }

  /** {@code root} without its sweep block and with the point's values written at their paths. */
  static ObjectNode apply(ObjectNode root, Point point) {
    ObjectNode copy = root.deepCopy();
    copy.remove("sweep");
    point.values().forEach((path, value) -> set(copy, path, value));
    return copy;
  }

  /**
   * Writes {@code value} at a dotted path, making the mappings on the way; where the way is not a
   * mapping, the value goes there anyway so the parser reports the field as it would any wrong value.
   */
  static void set(ObjectNode root, String path, JsonNode value) {
    String[] parts = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (child == null || !child.isObject()) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    node.set(parts[parts.length - 1], value);
  }

  private static String text(JsonNode v) {
    return v.isTextual() ? v.asText() : v.toString();
  }
}
