package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mechsweep.jobs.config.StudyConfig;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/config.md against the parser itself: for each task, every section's fields as the parser
 * names them when it refuses an unknown one ("allowed fields here: [...]"), and the rows of the
 * page that apply to that task, must be the same fields. And every default the page gives as a
 * plain value is the parser's: a config without the field parses to the same study as one that
 * sets the field to that value.
 */
class ConfigReferenceTest {
  private static final Path DOC = LocalCluster.REPO.resolve("docs/config.md");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ROW = Pattern.compile("^\\| (`[a-z0-9_.]+`(?:, `[a-z0-9_.]+`)*) \\|");
  private static final Pattern ALLOWED = Pattern.compile("^(.*)zz_probe: unknown field; allowed fields here: \\[(.*)]$");
  private static final List<String> TASKS = List.of("anchor", "varassign", "lego", "topics", "wikipedia");

  /** The fields of the page's rows, by heading: "task: anchor" for that task's, otherwise shared. */
  static Map<String, Set<String>> documented() throws Exception {
    Map<String, Set<String>> byHeading = new LinkedHashMap<>();
    String heading = "";
    for (String line : Files.readAllLines(DOC)) {
      if (line.startsWith("## ")) {
        heading = line.substring(3);
        continue;
      }
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        for (String cell : row.group(1).split(", ")) {
          assertThat(byHeading.computeIfAbsent(heading, h -> new TreeSet<>()).add(cell.replace("`", "")))
              .as("%s documented twice under '%s'", cell, heading).isTrue();
        }
      }
    }
    return byHeading;
  }

  /** The fields a task's config accepts, found by giving each section a field it cannot know. */
  private static Set<String> accepted(String task, Set<String> sections) throws Exception {
    Path example = LocalCluster.REPO.resolve("conf/studies/" + task + "-quickstart.yaml");
    Set<String> fields = new TreeSet<>();
    List<String> toProbe = new ArrayList<>(sections);
    for (int i = 0; i < toProbe.size(); i++) {
      String section = toProbe.get(i);
      ObjectNode config = (ObjectNode) YAML.readTree(Files.readString(example));
      ObjectNode node = config;
      for (String part : section.isEmpty() ? new String[0] : section.split("\\.")) {
        node = node.get(part) instanceof ObjectNode child ? child : node.putObject(part);
      }
      node.put("zz_probe", 1);
      List<String> allowed = null;
      try {
        StudyConfigParser.parse(YAML.writeValueAsString(config), example.toString());
      } catch (ConfigException e) {
        for (String problem : e.problems()) {
          Matcher m = ALLOWED.matcher(problem);
          if (m.find()) {
            allowed = Arrays.asList(m.group(2).split(", "));
          }
        }
      }
      assertThat(allowed).as("the parser's fields of section '%s' for task %s", section, task).isNotNull();
      for (String name : allowed) {
        String field = section.isEmpty() ? name : section + "." + name;
        // A field that is itself a section (training.adamw) is probed in turn instead.
        if (sections.contains(field)) {
          continue;
        }
        fields.add(field);
      }
    }
    return fields;
  }

  @Test
  void everyFieldTheParserAcceptsIsDocumentedAndNoOther() throws Exception {
    Map<String, Set<String>> doc = documented();
    assertThat(doc.keySet()).contains("task (every task)", "model", "training");
    for (String task : TASKS) {
      Set<String> rows = new TreeSet<>();
      doc.forEach((heading, fields) -> {
        if (!heading.startsWith("task: ") || heading.equals("task: " + task)) {
          rows.addAll(fields);
        }
      });
      // Every section a row's field sits in, and the sections above it, down to the top level.
      Set<String> sections = new TreeSet<>(Set.of(""));
      for (String field : rows) {
        for (int dot = field.indexOf('.'); dot > 0; dot = field.indexOf('.', dot + 1)) {
          sections.add(field.substring(0, dot));
        }
      }
      Set<String> parser = accepted(task, sections);
      Set<String> undocumented = new TreeSet<>(parser);
      undocumented.removeAll(rows);
      Set<String> unknown = new TreeSet<>(rows);
      unknown.removeAll(parser);
      assertThat(undocumented).as("fields task %s accepts that docs/config.md lacks", task).isEmpty();
      assertThat(unknown).as("docs/config.md's fields that task %s does not accept", task).isEmpty();
    }
  }

  /** A documented default as YAML, or null when it is not a plain value ("required", "the task's", …). */
  static JsonNode literal(String text) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    String t = text.replace("`", "").trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      ArrayNode list = f.arrayNode();
      String inner = t.substring(1, t.length() - 1).trim();
      for (String item : inner.isEmpty() ? new String[0] : inner.split(",\\s*")) {
        JsonNode value = literal(item);
        if (value == null) {
          return null;
        }
        list.add(value);
      }
      return list;
    }
    if (t.equals("true") || t.equals("false")) {
      return f.booleanNode(Boolean.parseBoolean(t));
    }
    if (t.matches("\\d{1,3}(,\\d{3})+|\\d+")) {
      return f.numberNode(Long.parseLong(t.replace(",", "")));
    }
    if (t.matches("\\d+\\.\\d+|\\d+(\\.\\d+)?e-?\\d+")) {
      return f.numberNode(Double.parseDouble(t));
    }
    return t.matches("[a-z_]+") && !t.equals("required") && !t.equals("unset") ? f.textNode(t) : null;
  }

  /** Field → documented default of the rows under a heading that apply to a task, plain values only. */
  private static Map<String, JsonNode> defaults(String task) throws Exception {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    String heading = "";
    for (String line : Files.readAllLines(DOC)) {
      if (line.startsWith("## ")) {
        heading = line.substring(3);
        continue;
      }
      if (!line.startsWith("| `") || (heading.startsWith("task: ") && !heading.equals("task: " + task))) {
        continue;
      }
      String[] cells = line.split(" \\| ");
      List<String> fields = Arrays.stream(cells[0].substring(2).split(", ")).map(c -> c.replace("`", "")).toList();
      String value = cells[1].replaceAll("\\s*\\(.*\\)", "").trim(); // "(the paper's)" and such
      List<String> values;
      if (value.endsWith(" each")) {
        values = java.util.Collections.nCopies(fields.size(), value.substring(0, value.length() - 5));
      } else if (fields.size() > 1) {
        values = Arrays.asList(value.split(", "));
      } else {
        values = List.of(value);
      }
      for (int i = 0; i < fields.size() && values.size() == fields.size(); i++) {
        JsonNode literal = literal(values.get(i));
        if (literal != null) {
          out.put(fields.get(i), literal);
        }
      }
    }
    return out;
  }

  private static StudyConfig parsed(ObjectNode config) throws Exception {
    try {
      return StudyConfigParser.parse(YAML.writeValueAsString(config), "probe");
    } catch (ConfigException e) {
      return null;
    }
  }

  @Test
  void everyPlainDefaultOnThePageIsTheParsersDefault() throws Exception {
    int checked = 0;
    List<String> wrong = new ArrayList<>();
    for (String task : TASKS) {
      String example = Files.readString(LocalCluster.REPO.resolve("conf/studies/" + task + "-quickstart.yaml"));
      for (Map.Entry<String, JsonNode> d : defaults(task).entrySet()) {
        String[] path = d.getKey().split("\\.");
        ObjectNode without = (ObjectNode) YAML.readTree(example);
        ObjectNode with = (ObjectNode) YAML.readTree(example);
        ObjectNode a = without;
        ObjectNode b = with;
        for (int i = 0; i < path.length - 1; i++) {
          a = a.get(path[i]) instanceof ObjectNode child ? child : a.putObject(path[i]);
          b = b.get(path[i]) instanceof ObjectNode child ? child : b.putObject(path[i]);
        }
        a.remove(path[path.length - 1]);
        b.set(path[path.length - 1], d.getValue());
        StudyConfig implicit = parsed(without);
        StudyConfig explicit = parsed(with);
        if (implicit == null || explicit == null) {
          continue; // the field cannot be left out or set alone here (e.g. start_lr with a constant schedule)
        }
        checked++;
        if (!implicit.equals(explicit)) {
          wrong.add(task + ": " + d.getKey() + " documented default " + d.getValue() + " is not the parser's");
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(checked).as("defaults compared with the parser's").isGreaterThanOrEqualTo(100);
  }
}
