package io.mechsweep.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line's {@code --set key=value} and {@code --set key=[a,b]}, written into the config
 * tree before it is read, so they enter the run configs (and the run ids) exactly like the YAML.
 * A scalar replaces the field (and any sweep axis on it); a list becomes a sweep axis, except at
 * fields whose value is a list ({@code model.frozen}), where it is the value. Values are read as
 * YAML, so {@code 128} is a number and {@code post} a word.
 */
final class Overrides {
  private Overrides() {}

  /** Writes each override into {@code root}; returns the problems (an override that is not key=value). */
  static List<String> apply(ObjectNode root, List<String> overrides, ObjectMapper yaml) {
    List<String> problems = new ArrayList<>();
    for (String override : overrides) {
      int eq = override.indexOf('=');
      String key = eq < 0 ? "" : override.substring(0, eq).trim();
      String text = eq < 0 ? "" : override.substring(eq + 1).trim();
      if (key.isEmpty() || text.isEmpty() || !key.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*")) {
        problems.add("--set " + override + ": allowed: key=value with a dotted field path,"
            + " e.g. --set model.d_model=128 or --set model.d_model=[64,128]");
        continue;
      }
      JsonNode value;
      try {
        value = yaml.readTree(text);
      } catch (java.io.IOException e) {
        problems.add("--set " + override + ": the value is not YAML (" + e.getMessage().lines().findFirst().orElse("")
            + "); write a number, a word, true/false or a list [a,b]");
        continue;
      }
      if (value == null || value.isObject()) {
        problems.add("--set " + override + ": allowed: a number, a word, true/false or a list [a,b]");
      } else if (value.isArray() && !listValued(key)) {
        ObjectNode sweep = root.get("sweep") instanceof ObjectNode s ? s : root.putObject("sweep");
        sweep.set(key, value);
      } else {
        if (root.get("sweep") instanceof ObjectNode sweep) {
          sweep.remove(key);
        }
        Sweep.set(root, key, value);
      }
    }
    return problems;
  }

  /** Fields whose one value is a list: a list given for them is that value, not an axis. */
  private static boolean listValued(String key) {
    return Sweep.LIST_VALUED.contains(key);
  }
}
