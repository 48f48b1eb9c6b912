package io.mechsweep.jobs;

import io.mechsweep.jobs.cli.RootLock;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path tmp;

  /** A command's exit code and what it printed on stdout and stderr. */
  record Run(int code, String out, String err) {}

  /** Runs a command in this JVM as the command line would, capturing its two streams. */
  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** {@link #run}, with what the command prints on System.out (where studies and plans print) in {@code out}. */
  static Run runPrinting(String... args) {
    PrintStream before = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Run r = run(args);
      return new Run(r.code(), r.out() + printed.toString(StandardCharsets.UTF_8), r.err());
    } finally {
      System.setOut(before);
    }
  }

  @Test
  void aBadConfigExitsWithTwoNamingTheFieldBeforeAnyWork() throws Exception {
    Path config = tmp.resolve("bad.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY.replace("depth: [1, 2]", "depth: [0]"));
    Path root = tmp.resolve("root");
    Run r = run("study", config.toString(), "--root", root.toString(), "--catalog", "none");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("model.depth: got [0]; allowed: an integer or a non-empty list of integers in [1, 64]");
    assertThat(root).as("nothing was started or written").doesNotExist();
  }

  @Test
  void helpTeachesTheCommands() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("bin/mechsweep study conf/studies/anchor-quickstart.yaml")
        .contains("generate").contains("train").contains("study").contains("sql").contains("bench");
    // A task's own command comes from its TaskKind, not from Main's list.
    assertThat(r.out()).contains("bench-wikipedia");
    assertThat(run("bench-wikipedia", "--help").out()).contains("--copies").contains("Wikipedia corpus job");
    Run study = run("study", "--help");
    assertThat(study.out()).contains("--root").contains("--catalog").contains("--retry-failed").contains("STUDY.yaml");
  }

  @Test
  void benchRefusesAnUnknownTaskOrEmptyRunsNamingWhatIsAllowed() {
    Run task = run("bench", "--task", "nosuch");
    assertThat(task.code()).isEqualTo(2);
    assertThat(task.err()).contains("--task").contains("got 'nosuch'; allowed: anchor, varassign, lego, topics, wikipedia");
    Run steps = run("bench", "--task", "varassign", "--steps", "0");
    assertThat(steps.code()).isEqualTo(2);
    assertThat(steps.err()).contains("must be ≥ 1");
    Run help = run("bench", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--task").contains("varassign").contains("training/python/reference.py")
        .doesNotContain("anchor_reference");
  }

  /** One line on stderr, starting "mechsweep: ", and no stack trace. */
  private static void assertOneLineError(Run r) {
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("mechsweep: ").doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void badInputExitsWithTwoAndOneLineSayingWhatToDo() throws Exception {
    Path config = tmp.resolve("twice.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY + "seeds: [7]\n");
    Run duplicate = run("study", config.toString(), "--root", tmp.resolve("r1").toString());
    assertThat(duplicate.code()).isEqualTo(2);
    assertOneLineError(duplicate);
    assertThat(duplicate.err()).contains("not valid YAML (line").contains("Duplicate field 'seeds'");

    Path missing = tmp.resolve("no-such-root");
    Run sql = run("sql", "--root", missing.toString(), "select 1");
    assertThat(sql.code()).isEqualTo(2);
    assertOneLineError(sql);
    assertThat(sql.err()).contains("no mechsweep root at " + missing).contains("check --root");
    Run report = run("report", "--root", missing.toString(), "anything");
    assertThat(report.code()).isEqualTo(2);
    assertThat(missing).as("reading commands never create a root").doesNotExist();

    Run evil = run("report", "--root", tmp.toString(), "../evil");
    assertThat(evil.code()).isEqualTo(2);
    assertOneLineError(evil);
    assertThat(evil.err()).contains("STUDY: got '../evil'; allowed: a study name");

    Path tiny = tmp.resolve("tiny.yaml");
    Files.writeString(tiny, StudyConfigParserTest.TINY);
    for (String[] option : new String[][] {{"--gpu-memory", "0"}, {"--pack-size", "0"}}) {
      Run export = run("export-packs", tiny.toString(), "--root", tmp.resolve("r2").toString(), "--out",
          tmp.resolve("bundle").toString(), option[0], option[1]);
      assertThat(export.code()).isEqualTo(2);
      assertOneLineError(export);
      assertThat(export.err()).contains(option[0] + ": got 0").contains("allowed: ");
    }
    assertThat(tmp.resolve("r2")).as("refused before any work").doesNotExist();

    Path empty = Files.createDirectories(tmp.resolve("empty-root"));
    Run badSql = run("sql", "--root", empty.toString(), "--catalog", "none", "select * from no_such_table");
    assertThat(badSql.code()).isEqualTo(2);
    assertOneLineError(badSql);
    assertThat(badSql.err()).contains("no_such_table");
  }

  /** The four stages of a scheduled study, one command each, under a dated name; probing before training is refused. */
  @Test
  void theStagesRunOneByOneUnderAStudyNameGivenOnTheCommandLine() throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY);
    String root = tmp.resolve("staged").toString();
    assertThat(run("generate", config.toString(), "--root", root).code()).isZero();

    Run early = run("probe", config.toString(), "--root", root, "--study", "tiny-20261123");
    assertThat(early.code()).isEqualTo(2);
    assertOneLineError(early);
    assertThat(early.err()).contains("8 of 8 runs of study 'tiny-20261123' have not been trained")
        .contains("run `mechsweep train` first");

    Run train = run("train", config.toString(), "--root", root, "--study", "tiny-20261123");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(Path.of(root, "tables/runs/study=tiny-20261123")).isDirectory();
    assertThat(Path.of(root, "tables/probes/study=tiny-20261123")).doesNotExist();

    Run probe = run("probe", config.toString(), "--root", root, "--study", "tiny-20261123");
    assertThat(probe.code()).as(probe.err()).isZero();
    assertThat(Path.of(root, "tables/probes/study=tiny-20261123")).isDirectory();
    assertThat(Path.of(root, "reports/tiny-20261123")).as("probe writes no report").doesNotExist();
    Run report = run("report", "tiny-20261123", "--root", root);
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(Path.of(root, "reports/tiny-20261123/index.html")).isRegularFile();
    assertThat(Path.of(root, "tables/runs/study=tiny")).as("the config's own name is unused").doesNotExist();

    Run badName = run("train", config.toString(), "--root", root, "--study", "../x");
    assertThat(badName.code()).isEqualTo(2);
    assertOneLineError(badName);
    assertThat(badName.err()).contains("--study: got '../x'; allowed: 1-64 letters, digits, '-' or '_'");
    Run badCatalog = run("sql", "--root", root, "--catalog", "derby", "select 1");
    assertThat(badCatalog.code()).isEqualTo(2);
    assertThat(badCatalog.err()).contains("--catalog: got 'derby'; allowed: embedded, session, none, or a"
        + " metastore database's JDBC URL jdbc:postgresql://");
  }

  /** A study whose runs failed still writes its tables and report, then exits with 3 and says how to see why. */
  @Test
  void aStudyWithFailedRunsExitsWithThree() throws Exception {
    Path config = tmp.resolve("orphan.yaml");
    Files.writeString(config, LegoStudyTest.TINY.replace("tied_layers: [false, true]", "init_from: [nosuchrun]")
        .replace("mimic: {steps: [0, 10], lr: 1.0e-2}", "mimic: {steps: 0}").replace("steps: 20", "steps: 2")
        .replace("every_steps: 10", "every_steps: 2").replace("every_steps: 5", "every_steps: 1"));
    Path root = tmp.resolve("failing");
    Run r = run("study", config.toString(), "--root", root.toString(), "--catalog", "none");
    assertThat(r.code()).isEqualTo(3);
    assertOneLineError(r);
    assertThat(r.err()).contains("1 of 1 runs failed").contains("--retry-failed");
    try (var results = Files.list(root.resolve("results"))) {
      Path result = results.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
      assertThat(Files.readString(result)).contains("cannot initialize from checkpoint nosuchrun");
    }
  }

  /**
   * A reading command writes nothing under the root, and its scratch space (outside it) is gone
   * when it ends; a writing command's Spark and Hive scratch lives under the root and is removed
   * at exit.
   */
  @Test
  void scratchSpaceIsRemovedAtExitAndAReaderWritesNothingUnderTheRoot() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("scratch-root"));
    Path systemTmp = Path.of(System.getProperty("java.io.tmpdir"));
    java.util.function.Supplier<java.util.Set<Path>> leftovers = () -> {
      try (var list = Files.list(systemTmp)) {
        return list.filter(p -> p.getFileName().toString().endsWith("_resources")
            || p.getFileName().toString().startsWith("mechsweep-sql-")).collect(java.util.stream.Collectors.toSet());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    java.util.Set<Path> before = leftovers.get();
    Run sql = run("sql", "--root", root.toString(), "select count(*) from mechsweep.runs");
    assertThat(sql.code()).as(sql.err()).isZero();
    assertThat(leftovers.get()).as("no reader scratch or Hive resources left in " + systemTmp).isEqualTo(before);
    try (var inRoot = Files.list(root)) {
      assertThat(inRoot).as("a reader writes nothing under the root").isEmpty();
    }

    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY);
    Run generate = run("generate", config.toString(), "--root", root.toString());
    assertThat(generate.code()).as(generate.err()).isZero();
    assertThat(leftovers.get()).isEqualTo(before);
    try (var left = Files.walk(root.resolve("tmp"))) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
    Path hiveScratch = root.resolve("tmp").resolve("hive");
    if (Files.exists(hiveScratch)) { // Hive makes it once per JVM: in a test JVM an earlier session may have
      try (var hive = Files.list(hiveScratch)) {
        assertThat(hive).as("this session's resources directory was removed").isEmpty();
      }
    }
    assertThat(root.resolve(RootLock.FILE)).as("the writer's lock is released").doesNotExist();
  }
}
