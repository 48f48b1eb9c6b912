package io.mechsweep.jobs.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Readable run names: the resolved settings that vary between a study's runs, as
 * {@code key=value} in the run config's field order ({@code gamma=0.8 seed=3}). A setting that
 * follows from the others (d_ff zipped with d_model) is dropped while the names stay unique,
 * last fields first, so the names are short; the seed is always kept. A study of one run is
 * called by its seed.
 */
final class RunNames {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEED = "seed";

  private RunNames() {}

  /** One name per config, in order; the configs must differ (they are the study's distinct runs). */
  static List<String> of(List<?> configs) {
    List<ObjectNode> trees = configs.stream().map(c -> (ObjectNode) JSON.valueToTree(c)).toList();
    List<String> keys = varying(trees);
    for (int i = keys.size() - 1; i >= 0; i--) {
      if (keys.size() > 1 && !keys.get(i).equals(SEED)) {
        List<String> without = new ArrayList<>(keys);
        without.remove(i);
        if (unique(trees, without)) {
          keys = without;
        }
      }
    }
    List<String> shown = keys.isEmpty() ? List.of(SEED) : keys;
    return trees.stream().map(t -> name(t, shown)).toList();
  }

  /** The fields whose value is not the same in every config, in field order. */
  private static List<String> varying(List<ObjectNode> trees) {
    Set<String> fields = new LinkedHashSet<>();
    trees.forEach(t -> t.fieldNames().forEachRemaining(fields::add));
    List<String> out = new ArrayList<>();
    for (String field : fields) {
      Set<JsonNode> values = new HashSet<>();
      for (ObjectNode t : trees) {
        values.add(t.path(field));
        if (values.size() > 1) {
          out.add(field);
          break;
        }
      }
    }
    return out;
  }

  private static boolean unique(List<ObjectNode> trees, List<String> keys) {
    Set<String> names = new HashSet<>();
    for (ObjectNode t : trees) {
      if (!names.add(name(t, keys))) {
        return false;
      }
    }
    return true;
  }

  private static String name(ObjectNode tree, List<String> keys) {
    List<String> parts = new ArrayList<>();
    for (String key : keys) {
      JsonNode v = tree.path(key);
      parts.add(key + "=" + (v.isMissingNode() || v.isNull() ? "none" : v.isTextual() ? v.asText() : v.toString()));
    }
    return String.join(" ", parts);
  }
}
