package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.jobs.tasks.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/**
 * docs/tables.md against the code: every table (the shared ones and each task's) has its entry
 * there naming every column of its schema, every view the catalog registers has its entry, and the
 * page names no table or view the code does not have.
 */
class TablesReferenceTest {
  private static final Path DOC = LocalCluster.REPO.resolve("docs/tables.md");
  private static final Pattern BOLD = Pattern.compile("\\*\\*([a-z_]+)\\*\\*");

  /** The page's top-level entries ("- **name** …" and their indented lines) under a heading. */
  private static List<String> entries(String heading) throws Exception {
    List<String> out = new ArrayList<>();
    boolean inside = false;
    StringBuilder entry = null;
    for (String line : Files.readAllLines(DOC)) {
      if (line.startsWith("## ")) {
        inside = line.equals("## " + heading);
        continue;
      }
      if (!inside) {
        continue;
      }
      if (line.startsWith("- ")) {
        if (entry != null) {
          out.add(entry.toString());
        }
        entry = new StringBuilder(line);
      } else if (entry != null && (line.startsWith(" ") || line.isEmpty())) {
        entry.append('\n').append(line);
      }
    }
    if (entry != null) {
      out.add(entry.toString());
    }
    return out;
  }

  /** Entry text by each bold name in it (one entry may hold several tables). */
  private static Map<String, String> byName(List<String> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : entries) {
      Matcher m = BOLD.matcher(entry);
      while (m.find()) {
        out.put(m.group(1), entry);
      }
    }
    return out;
  }

  @Test
  void everyTableWithEveryColumnAndEveryViewIsDocumented() throws Exception {
    Map<String, Tables.Table> tables = new LinkedHashMap<>();
    Tasks.tables().forEach(t -> tables.put(t.name(), t));
    Map<String, String> documented = byName(entries("Tables"));
    assertThat(documented.keySet()).as("tables in docs/tables.md").containsExactlyInAnyOrderElementsOf(tables.keySet());
    for (Tables.Table table : tables.values()) {
      String entry = documented.get(table.name());
      Set<String> missing = new TreeSet<>();
      for (StructField column : table.schema().fields()) {
        if (!Pattern.compile("\\b" + column.name() + "\\b").matcher(entry).find()) {
          missing.add(column.name());
        }
      }
      assertThat(missing).as("columns of %s that docs/tables.md does not name", table.name()).isEmpty();
    }
    Set<String> views = new TreeSet<>(Tasks.views()); // what the catalog registers, every task's
    assertThat(views).hasSizeGreaterThanOrEqualTo(8);
    assertThat(byName(entries("Views")).keySet()).as("views in docs/tables.md").containsExactlyInAnyOrderElementsOf(views);
  }
}
