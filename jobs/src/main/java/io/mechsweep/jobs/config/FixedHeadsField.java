package io.mechsweep.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.mechsweep.training.model.AttentionPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code model.fixed_heads}, the LEGO attention module: a map from layer to the patterns of
 * that layer's last heads, e.g. {@code {0: [association, local]}} makes heads H−2 and H−1 of
 * layer 0 attend by the association and the local pattern, without queries or keys.
 */
final class FixedHeadsField {
  private static final String PATH = "model.fixed_heads";

  private FixedHeadsField() {}

  static Map<Integer, List<AttentionPattern>> parse(
      JsonNode model, Fields f, List<Integer> depths, int heads, List<Boolean> tied) {
    JsonNode n = model == null ? null : model.get("fixed_heads");
    if (n == null || n.isNull()) {
      return Map.of();
    }
    String allowed = "a map from layer (below every depth " + depths + ") to at most model.heads (" + heads
        + ") patterns of [association, local], e.g. {0: [association, local]}";
    if (!n.isObject()) {
      f.problem(PATH, n, allowed);
      return Map.of();
    }
    Map<Integer, List<AttentionPattern>> out = new TreeMap<>();
    var fields = n.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      String path = PATH + "." + e.getKey();
      int layer;
      try {
        layer = Integer.parseInt(e.getKey());
      } catch (NumberFormatException x) {
        f.problem(path, e.getKey(), allowed);
        continue;
      }
      if (layer < 0 || depths.stream().anyMatch(d -> layer >= d)) {
        f.problem(path, layer, allowed);
        continue;
      }
      List<AttentionPattern> patterns = patterns(e.getValue(), path, allowed, f);
      if (patterns.size() > heads) {
        f.problem(path, e.getValue(), allowed);
        continue;
      }
      out.put(layer, patterns);
    }
    if (!out.isEmpty() && tied.contains(true)) {
      f.problem(PATH, n, "{} when model.tied_layers is true (one block serves every layer)");
    }
    return out;
  }

  private static List<AttentionPattern> patterns(JsonNode list, String path, String allowed, Fields f) {
    List<AttentionPattern> out = new ArrayList<>();
    if (!list.isArray() || list.isEmpty()) {
      f.problem(path, list, allowed);
      return out;
    }
    for (JsonNode item : list) {
      try {
        out.add(AttentionPattern.valueOf(item.asText().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException x) {
        f.problem(path, list, allowed);
        return List.of();
      }
    }
    return out;
  }
}
