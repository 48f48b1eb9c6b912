package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.jobs.tasks.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the docs name exists: every link's target, every script in bin/, every mechsweep command,
 * every study config field (docs/config.md's, which ConfigReferenceTest holds against the parser)
 * and every table or view. And nothing in the repository points outside it but the shared data
 * the tests and quickstarts read.
 */
class DocsCheckTest {
  private static final Path REPO = LocalCluster.REPO;
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern SCRIPT = Pattern.compile("(?<![\\w/.$-])bin/([a-z][\\w-]*)");
  private static final Pattern COMMAND = Pattern.compile("bin/mechsweep ([a-z][a-z-]*)");
  private static final Pattern FIELD =
      Pattern.compile("(?<![\\w.$/-])((?:task|model|training|evaluation|probes|checkpoints|logging)(?:\\.[a-z][a-z0-9_]*)+)");
  private static final Pattern TABLE = Pattern.compile("(?<![\\w./<-])mechsweep\\.(?!lock\\b)([a-z_]+)"); // mechsweep.lock is a file

  private static List<Path> docs() throws Exception {
    List<Path> out = new ArrayList<>(List.of(REPO.resolve("README.md"), REPO.resolve("CONTRIBUTING.md"),
        REPO.resolve("BENCHMARKS.md")));
    try (Stream<Path> files = Files.walk(REPO.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(out::add);
    }
    return out;
  }

  /** The config fields docs/config.md documents, and every section above them. */
  private static Set<String> configNames() throws Exception {
    Set<String> names = new TreeSet<>();
    for (Set<String> fields : ConfigReferenceTest.documented().values()) {
      for (String field : fields) {
        for (int dot = 0; dot >= 0; dot = field.indexOf('.', dot + 1)) {
          names.add(dot == 0 ? field : field.substring(0, dot));
        }
      }
    }
    return names;
  }

  @Test
  void everyLinkScriptCommandFieldTableAndViewTheDocsNameExists() throws Exception {
    Set<String> commands = Main.commandLine().getSubcommands().keySet();
    Set<String> fields = configNames();
    Set<String> relations = new TreeSet<>(Tasks.views());
    Tasks.tables().forEach(t -> relations.add(t.name()));
    List<String> wrong = new ArrayList<>();
    for (Path doc : docs()) {
      String text = Files.readString(doc);
      String where = REPO.relativize(doc).toString();
      for (Matcher m = LINK.matcher(text); m.find(); ) {
        String target = m.group(1).replaceAll("#.*", "");
        if (!target.isEmpty() && !target.contains("://") && !Files.exists(doc.getParent().resolve(target))) {
          wrong.add(where + ": link to " + m.group(1) + ", which does not exist");
        }
      }
      for (Matcher m = SCRIPT.matcher(text); m.find(); ) {
        if (!Files.exists(REPO.resolve("bin").resolve(m.group(1)))) {
          wrong.add(where + ": bin/" + m.group(1) + ", no such script");
        }
      }
      for (Matcher m = COMMAND.matcher(text); m.find(); ) {
        if (!commands.contains(m.group(1))) {
          wrong.add(where + ": bin/mechsweep " + m.group(1) + ", no such command");
        }
      }
      for (Matcher m = FIELD.matcher(text); m.find(); ) {
        if (!fields.contains(m.group(1))) {
          wrong.add(where + ": config field " + m.group(1) + ", not in docs/config.md");
        }
      }
      for (Matcher m = TABLE.matcher(text); m.find(); ) {
        if (!relations.contains(m.group(1))) {
          wrong.add(where + ": mechsweep." + m.group(1) + ", no such table or view");
        }
      }
    }
    assertThat(wrong).as("what the docs name that does not exist").isEmpty();
  }

  /**
   * ../shared, beside a checkout, holds the project's shared data: only the tests, the wikipedia
   * quickstart, bench-wikipedia's default and the build's test property read it, and the README
   * says so once.
   */
  @Test
  void nothingPointsOutsideTheRepositoryButTheSharedDataReaders() throws Exception {
    Set<String> readers = Set.of("pom.xml", ".ci/run", "BENCHMARKS.md", "conf/studies/wikipedia-quickstart.yaml",
        "jobs/src/main/java/io/mechsweep/jobs/tasks/wikipedia/WikipediaBench.java");
    List<String> outside = new ArrayList<>();
    try (Stream<Path> files = Files.walk(REPO)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = REPO.relativize(f).toString();
        if (rel.startsWith(".git/") || rel.contains("/target/") || rel.startsWith("target/") || rel.contains("/src/test/")
            || rel.startsWith("mechsweep-out/") || readers.contains(rel) || Files.size(f) > 2_000_000) {
          continue;
        }
        String text;
        try {
          text = Files.readString(f);
        } catch (java.nio.charset.MalformedInputException binary) {
          continue;
        }
        long mentions = Pattern.compile(Pattern.quote("../shared")).matcher(text).results().count();
        if (mentions > (rel.equals("README.md") ? 1 : 0)) {
          outside.add(rel + " (" + mentions + ")");
        }
      }
    }
    assertThat(outside).as("files naming ../shared beyond the shared data's readers").isEmpty();
    assertThat(Files.readString(REPO.resolve("README.md"))).contains("../shared");
  }
}
