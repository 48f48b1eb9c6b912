package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.StudyPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of every quickstart config (fields deleted, duplicated, retyped, pushed out of
 * range) each give either a valid plan or a one-line error naming a field, never another
 * exception: what a user's typo meets before any work starts.
 */
class ConfigFuzzTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final int MUTATIONS_PER_CONFIG = 200;
  private static final JsonNode[] ODD_VALUES = {
    JsonNodeFactory.instance.textNode("abc"), JsonNodeFactory.instance.numberNode(-1),
    JsonNodeFactory.instance.numberNode(0), JsonNodeFactory.instance.numberNode(1e12),
    JsonNodeFactory.instance.numberNode(0.5), JsonNodeFactory.instance.booleanNode(true),
    JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.arrayNode(),
    JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.arrayNode().add("x").add(3),
  };

  @Test
  void everyMutationGivesAPlanOrAOneLineFieldNamedError() throws Exception {
    Random random = new Random(20261123);
    int valid = 0;
    int refused = 0;
    List<String> tasks = List.of("anchor", "varassign", "lego", "topics", "wikipedia");
    for (String task : tasks) {
      Path file = Path.of(System.getProperty("mechsweep.repo", ".."), "conf", "studies", task + "-quickstart.yaml");
      String original = Files.readString(file);
      JsonNode tree = YAML.readTree(original);
      for (int i = 0; i < MUTATIONS_PER_CONFIG; i++) {
        String[] described = new String[1];
        String yaml = random.nextInt(10) == 0 ? duplicateLine(original, random, described)
            : YAML.writeValueAsString(mutate(tree.deepCopy(), random, described));
        try {
          StudyConfig c = StudyConfigParser.parse(yaml, "fuzz.yaml");
          assertThat(StudyPlan.of(c).runs()).as(described[0]).isNotEmpty();
          valid++;
        } catch (ConfigException e) {
          assertThat(e.getMessage().lines()).as(described[0]).hasSize(1);
          assertThat(e.getMessage()).as(described[0]).startsWith("invalid study config fuzz.yaml: ")
              .containsAnyOf(": got ", ": missing", ": unknown field", "not valid YAML", ": expected");
          refused++;
        } catch (RuntimeException e) {
          throw new AssertionError(described[0] + " threw " + e, e);
        }
      }
    }
    assertThat(valid + refused).isEqualTo(tasks.size() * MUTATIONS_PER_CONFIG);
    assertThat(refused).as("most mutations are errors").isGreaterThan(valid);
    assertThat(valid).as("some mutations are harmless").isPositive();
  }

  /** Deletes, retypes or rescales one random field (leaf or section) of the tree. */
  private static JsonNode mutate(JsonNode root, Random random, String[] described) {
    List<String[]> paths = new ArrayList<>();
    collect(root, "", paths);
    String[] pick = paths.get(random.nextInt(paths.size()));
    String path = pick[0];
    ObjectNode parent = (ObjectNode) at(root, path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "");
    String key = path.substring(path.lastIndexOf('.') + 1);
    JsonNode value = parent.get(key);
    switch (random.nextInt(4)) {
      case 0 -> {
        parent.remove(key);
        described[0] = "deleted " + path;
      }
      case 1 -> {
        JsonNode odd = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
        parent.set(key, odd);
        described[0] = path + " = " + odd;
      }
      case 2 -> {
        JsonNode scaled = value.isNumber()
            ? JsonNodeFactory.instance.numberNode(value.asDouble() * (random.nextBoolean() ? -1 : 1e7))
            : JsonNodeFactory.instance.arrayNode().add(value);
        parent.set(key, scaled);
        described[0] = path + " = " + scaled;
      }
      default -> {
        parent.set(key + "_typo", value);
        parent.remove(key);
        described[0] = "renamed " + path + " to " + key + "_typo";
      }
    }
    return root;
  }

  /** A line of the file given twice: a duplicated key, or a list item more. */
  private static String duplicateLine(String yaml, Random random, String[] described) {
    List<String> lines = new ArrayList<>(yaml.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#")).toList());
    int i = random.nextInt(lines.size());
    lines.add(i, lines.get(i));
    described[0] = "duplicated line '" + lines.get(i) + "'";
    return String.join("\n", lines) + "\n";
  }

  private static void collect(JsonNode node, String prefix, List<String[]> out) {
    node.fieldNames().forEachRemaining(name -> {
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      out.add(new String[] {path});
      JsonNode child = node.get(name);
      if (child.isObject()) {
        collect(child, path, out);
      }
    });
  }

  private static JsonNode at(JsonNode root, String path) {
    JsonNode n = root;
    if (!path.isEmpty()) {
      for (String part : path.split("\\.")) {
        n = n.get(part);
      }
    }
    return n;
  }
}
