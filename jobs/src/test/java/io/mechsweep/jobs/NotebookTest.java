package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.training.eval.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example notebooks under analysis/notebooks, executed for real: a tiny anchor and a tiny
 * varassign study are written to a temporary root, then each notebook runs in Jupyter ({@code
 * jupyter nbconvert --execute}: a Python kernel whose JVM, started with JPype on this build's class
 * path, reads the root through {@link SqlSession}). A notebook passes when no cell failed, its plot
 * was drawn, and the key=value summary its last cell prints carries the numbers this test reads
 * itself from the same Parquet tables, by path rather than through the views the notebooks query.
 * The notebooks run side by side (a kernel and a JVM each, mostly one busy thread), started once
 * the studies are written; each test waits for its own.
 * Needs Debian's python3-nbclient, python3-ipykernel, jupyter-nbconvert, python3-jpype,
 * python3-pandas and python3-matplotlib.
 */
class NotebookTest {
  private static final String ANCHOR = "nb-anchor";
  private static final String VARASSIGN = "nb-varassign";
  /** Two depths × two γ, one seed: a phase diagram of four cells with one run each. */
  private static final String ANCHOR_CONFIG = StudyConfigParserTest.TINY
      .replace("study: tiny", "study: " + ANCHOR).replace("seeds: [1, 2]", "seeds: [1]");
  private static final String VARASSIGN_CONFIG =
      VarAssignStudyTest.TINY.replace("study: tiny-va", "study: " + VARASSIGN);
  private static final Path NOTEBOOKS =
      Path.of(System.getProperty("mechsweep.repo", "..")).toAbsolutePath().resolve("analysis/notebooks");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  @TempDir static Path executed;
  /** The rows the expectations are computed from, read while the writing session is open. */
  private static List<Row> anchorRuns;
  private static List<Row> anchorEvals;
  private static List<Row> anchorProbes;
  private static List<Row> varassignEvals;
  private static final Map<String, Process> RUNNING = new LinkedHashMap<>();

  @BeforeAll
  static void writeStudiesAndStartNotebooks() throws IOException {
    writeStudies();
    start("phase_diagram", ANCHOR);
    start("accuracy_vs_step", ANCHOR);
    start("probe_vs_gamma", ANCHOR);
    start("varassign_phases", VARASSIGN);
  }

  @AfterAll
  static void stopNotebooks() {
    RUNNING.values().forEach(Process::destroyForcibly); // those a failed test left running
  }

  private static void writeStudies() throws IOException {
    SparkSession spark = SparkSessions.create("notebooks", root.toString(), SparkSessions.Catalog.NONE,
        Map.of("spark.master", "local[2]"));
    try {
      study(spark, ANCHOR_CONFIG, true);
      study(spark, VARASSIGN_CONFIG, false); // its notebook reads no probes
      // The tables as any Parquet reader sees them (study from the partition directories).
      for (String table : List.of("runs", "solutions", "evals", "probes")) {
        spark.read().parquet(root.resolve("tables").resolve(table).toString()).createOrReplaceTempView(table);
      }
      anchorRuns = spark.sql("SELECT r.run_id, r.depth, r.gamma, r.weight_decay, s.solution_type FROM runs r"
          + " LEFT JOIN solutions s ON s.study = r.study AND s.run_id = r.run_id AND s.is_final"
          + " WHERE r.study = '" + ANCHOR + "'").collectAsList();
      anchorEvals = spark.sql("SELECT run_id, eval_set, metric, step, value FROM evals WHERE study = '" + ANCHOR
          + "' AND bucket = 'all' AND metric IN ('accuracy', 'symmetric_accuracy')").collectAsList();
      anchorProbes = spark.sql("SELECT run_id, step, probe, value FROM probes WHERE study = '" + ANCHOR
          + "' AND tensor = 'blocks.0.attn.q' AND probe IN ('effective_rank', 'condensed_fraction')").collectAsList();
      varassignEvals = spark.sql("SELECT e.run_id, r.seed, e.eval_set, e.step, e.value FROM evals e JOIN runs r"
          + " ON r.study = e.study AND r.run_id = e.run_id WHERE e.study = '" + VARASSIGN + "'"
          + " AND e.metric = 'accuracy' AND e.bucket = 'all'").collectAsList();
    } finally {
      // The notebooks' JVMs read the root with their own sessions; this one's memory and cores go back.
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }

  private static void study(SparkSession spark, String config, boolean probe) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StudyRunner.Result result = new StudyRunner(spark, root.toString(), SparkSessions.Catalog.NONE,
        new PrintStream(out, true, StandardCharsets.UTF_8))
        .train(StudyConfigParser.parse(config, "t"), true, false, false, new StudyRunner.Steps(true, probe, false));
    assertThat(result.outcomes()).as(out.toString(StandardCharsets.UTF_8)).isNotEmpty()
        .extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
  }

  @Test
  void phaseDiagramShowsEveryCellWithItsRunsSolutionTypes() throws Exception {
    Summary summary = finish("phase_diagram");
    Map<String, List<Row>> cells = anchorRuns.stream().collect(Collectors.groupingBy(
        r -> cell(r.getInt(1), r.getDouble(2)) + " wd=" + r.getDouble(3), TreeMap::new, Collectors.toList()));
    assertThat(cells).hasSize(4);
    assertThat(summary.first("phase_diagram").get("cells")).isEqualTo("4");

    Map<String, Map<String, String>> printed = summary.all("cell").stream().collect(Collectors.toMap(
        c -> cell(Integer.parseInt(c.get("depth")), Double.parseDouble(c.get("gamma")))
            + " wd=" + Double.parseDouble(c.get("weight_decay")), c -> c,
        (a, b) -> { throw new AssertionError("two lines for one cell: " + a + ", " + b); }, TreeMap::new));
    assertThat(printed.keySet()).containsExactlyElementsOf(cells.keySet());
    cells.forEach((key, runs) -> {
      String types = runs.stream().map(r -> Optional.ofNullable(r.getString(4)).orElse("failed")).sorted()
          .collect(Collectors.joining(","));
      assertThat(printed.get(key)).as(key)
          .containsEntry("runs", String.valueOf(runs.size()))
          .containsEntry("run_solution_types", types)
          // One seed and one learning rate: the cell's type is its run's own classification.
          .containsEntry("solution_type", types);
    });
  }

  @Test
  void accuracyVsStepHasEveryEvaluationSetAtEveryStepPerGamma() throws Exception {
    Summary summary = finish("accuracy_vs_step");
    TreeSet<Integer> steps = anchorEvals.stream().map(r -> r.getInt(3)).collect(Collectors.toCollection(TreeSet::new));
    assertThat(steps).containsExactly(0, 6, 12); // evaluation every 6 of 12 steps, and step 0
    long panels = anchorEvals.stream().map(r -> r.getString(1) + "/" + r.getString(2)).distinct().count();
    // three sets read once, the unseen pair on all keys, training-split keys and held-out keys read both ways
    assertThat(panels).isEqualTo(9);
    assertThat(summary.first("accuracy_vs_step"))
        .containsEntry("steps", steps.stream().map(String::valueOf).collect(Collectors.joining(",")))
        .containsEntry("panels", String.valueOf(panels));

    // Each curve's last point: the mean over the runs of a (depth, γ) at the last step.
    Map<String, Row> runs = anchorRuns.stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
    Map<String, List<Row>> atLast = anchorEvals.stream().filter(r -> r.getInt(3) == steps.last())
        .collect(Collectors.groupingBy(r -> {
          Row run = runs.get(r.getString(0));
          return cell(run.getInt(1), run.getDouble(2)) + " " + r.getString(1) + "/" + r.getString(2);
        }));
    List<Map<String, String>> finals = summary.all("final");
    assertThat(finals).hasSize(atLast.size());
    for (Map<String, String> f : finals) {
      String key = cell(Integer.parseInt(f.get("depth")), Double.parseDouble(f.get("gamma"))) + " "
          + f.get("eval_set") + "/" + f.get("metric");
      List<Row> rows = atLast.get(key);
      assertThat(rows).as(key).isNotNull();
      assertThat(f).as(key).containsEntry("step", String.valueOf(steps.last()))
          .containsEntry("runs", String.valueOf(rows.size()));
      assertThat(Double.parseDouble(f.get("accuracy"))).as(key)
          .isCloseTo(rows.stream().mapToDouble(r -> r.getDouble(4)).average().orElseThrow(), offset(1e-6));
    }
  }

  @Test
  void probeVsGammaAveragesEachRunsLastCheckpoint() throws Exception {
    Summary summary = finish("probe_vs_gamma");
    Map<String, Integer> lastStep = anchorProbes.stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getInt(1), Math::max));
    Map<String, Row> runs = anchorRuns.stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
    // (depth, γ) → probe → the values at each run's last probed checkpoint.
    Map<String, Map<String, List<Double>>> last = new TreeMap<>();
    for (Row p : anchorProbes) {
      if (p.getInt(1) == lastStep.get(p.getString(0))) {
        Row run = runs.get(p.getString(0));
        last.computeIfAbsent(cell(run.getInt(1), run.getDouble(2)), k -> new TreeMap<>())
            .computeIfAbsent(p.getString(2), k -> new ArrayList<>()).add(p.getDouble(3));
      }
    }
    assertThat(last).hasSize(4);
    assertThat(summary.first("probe_vs_gamma")).containsEntry("cells", "4");
    List<Map<String, String>> printed = summary.all("probe");
    assertThat(printed).extracting(p -> cell(Integer.parseInt(p.get("depth")), Double.parseDouble(p.get("gamma"))))
        .containsExactlyElementsOf(last.keySet());
    for (Map<String, String> p : printed) {
      Map<String, List<Double>> values =
          last.get(cell(Integer.parseInt(p.get("depth")), Double.parseDouble(p.get("gamma"))));
      assertThat(p).containsEntry("runs", String.valueOf(values.get("effective_rank").size()));
      for (String probe : List.of("effective_rank", "condensed_fraction")) {
        assertThat(Double.parseDouble(p.get(probe))).as(p + " " + probe)
            .isCloseTo(values.get(probe).stream().mapToDouble(v -> v).average().orElseThrow(), offset(1e-6));
      }
    }
    String probedSteps = anchorProbes.stream().map(r -> r.getInt(1)).collect(Collectors.toCollection(TreeSet::new))
        .stream().map(String::valueOf).collect(Collectors.joining(","));
    assertThat(probedSteps).isEqualTo("6,12"); // a checkpoint every 6 of 12 steps
    assertThat(summary.first("over_training")).containsEntry("steps", probedSteps);
  }

  @Test
  void varassignPhasesAreReadFromEachRunsPoolCurves() throws Exception {
    Summary summary = finish("varassign_phases");
    // run → pool → step → accuracy
    Map<String, Map<String, TreeMap<Integer, Double>>> curves = new TreeMap<>();
    Map<String, Long> seeds = new TreeMap<>();
    for (Row e : varassignEvals) {
      curves.computeIfAbsent(e.getString(0), k -> new TreeMap<>()).computeIfAbsent(e.getString(2), k -> new TreeMap<>())
          .put(e.getInt(3), e.getDouble(4));
      seeds.put(e.getString(0), e.getLong(1));
    }
    assertThat(curves).hasSize(2);
    String steps = varassignEvals.stream().map(r -> r.getInt(3)).collect(Collectors.toCollection(TreeSet::new))
        .stream().map(String::valueOf).collect(Collectors.joining(","));
    assertThat(steps).isEqualTo("0,20,40");
    long pools = varassignEvals.stream().map(r -> r.getString(2)).distinct().count();
    assertThat(summary.first("varassign_phases")).containsEntry("runs", "2").containsEntry("steps", steps)
        .containsEntry("pools", String.valueOf(pools));

    Map<String, Map<String, String>> runs = summary.all("run").stream()
        .collect(Collectors.toMap(r -> r.get("run_id"), r -> r));
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(curves.keySet());
    curves.forEach((run, byPool) -> {
      int finalStep = byPool.get("train_0var").lastKey();
      Map<String, String> printed = runs.get(run);
      assertThat(printed).as(run)
          .containsEntry("seed", String.valueOf(seeds.get(run)))
          .containsEntry("final_step", String.valueOf(finalStep))
          .containsEntry("addition_step", first(byPool.get("train_0var"), 0.9))
          .containsEntry("refinement_step", first(byPool.get("both_restricted_2var"), 0.9))
          .containsEntry("generalization_step", byPool.entrySet().stream()
              .filter(p -> !p.getKey().startsWith("train_") && !p.getKey().equals("unseen_0var"))
              .map(p -> first(p.getValue(), 0.5)).filter(s -> !s.equals("none")).map(Integer::valueOf)
              .min(Integer::compare).map(String::valueOf).orElse("none"))
          .containsEntry("assignment_step", assignment(byPool));
      assertThat(Double.parseDouble(printed.get("hard_final_accuracy")))
          .isCloseTo(byPool.get("both_restricted_2var").get(finalStep), offset(1e-6));
    });

    List<Map<String, String>> finals = summary.all("pool");
    assertThat(finals).hasSize((int) (2 * pools));
    for (Map<String, String> p : finals) {
      TreeMap<Integer, Double> curve = curves.get(p.get("run_id")).get(p.get("pool"));
      assertThat(Double.parseDouble(p.get("final_accuracy"))).as(p.toString())
          .isCloseTo(curve.lastEntry().getValue(), offset(1e-6));
    }
  }

  /** The first step at which a curve reached the threshold, or "none". */
  private static String first(TreeMap<Integer, Double> curve, double threshold) {
    return curve.entrySet().stream().filter(e -> e.getValue() >= threshold).map(e -> String.valueOf(e.getKey()))
        .findFirst().orElse("none");
  }

  /** The step by which every training-distribution pool had reached 0.9, or "none". */
  private static String assignment(Map<String, TreeMap<Integer, Double>> byPool) {
    List<String> reached = byPool.entrySet().stream().filter(p -> p.getKey().startsWith("train_"))
        .map(p -> first(p.getValue(), 0.9)).toList();
    return reached.contains("none") ? "none"
        : String.valueOf(reached.stream().mapToInt(Integer::parseInt).max().orElseThrow());
  }

  private static String cell(int depth, double gamma) {
    return "depth=" + depth + " gamma=" + gamma;
  }

  /** Starts executing a notebook against the root, as a user would with MECHSWEEP_ROOT and MECHSWEEP_STUDY set. */
  private static void start(String notebook, String study) throws IOException {
    Path log = executed.resolve(notebook + ".log");
    ProcessBuilder jupyter = new ProcessBuilder("jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--output-dir", executed.toString(), NOTEBOOKS.resolve(notebook + ".ipynb").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = jupyter.environment();
    env.put("MECHSWEEP_ROOT", root.toString());
    env.put("MECHSWEEP_STUDY", study);
    env.put("MECHSWEEP_CATALOG", "embedded");
    env.put("MECHSWEEP_CLASSPATH", System.getProperty("java.class.path")); // this build's classes
    // A JVM that answers a few queries over tiny tables: the quick-starting compiler is enough.
    env.put("MECHSWEEP_JAVA_OPTS", "-Xmx2g -XX:TieredStopAtLevel=1");
    try {
      RUNNING.put(notebook, jupyter.start());
    } catch (IOException e) {
      throw new IOException("cannot run jupyter: apt-get install python3-nbclient python3-ipykernel"
          + " jupyter-nbconvert python3-jpype python3-pandas python3-matplotlib", e);
    }
  }

  /** Waits for a notebook, checks that every cell ran cleanly and drew its plot; its last cell's summary. */
  private static Summary finish(String notebook) throws Exception {
    Process process = RUNNING.get(notebook);
    Path log = executed.resolve(notebook + ".log");
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(notebook + " ran over 300 s:\n" + Files.readString(log));
    }
    assertThat(process.exitValue()).as("%s: jupyter nbconvert failed:%n%s", notebook, Files.readString(log)).isZero();

    JsonNode cells = JSON.readTree(executed.resolve(notebook + ".ipynb").toFile()).get("cells");
    List<JsonNode> code = new ArrayList<>();
    cells.forEach(c -> {
      if (c.get("cell_type").asText().equals("code")) {
        code.add(c);
      }
    });
    boolean plotted = false;
    for (JsonNode cell : code) {
      assertThat(cell.get("execution_count").isInt()).as("%s: a cell did not run: %s", notebook, cell.get("source"))
          .isTrue();
      for (JsonNode output : cell.get("outputs")) {
        assertThat(output.get("output_type").asText()).as("%s: %s", notebook, output).isNotEqualTo("error");
        plotted |= output.path("data").has("image/png");
      }
    }
    assertThat(plotted).as("%s drew its plot", notebook).isTrue();
    StringBuilder printed = new StringBuilder();
    for (JsonNode output : code.get(code.size() - 1).get("outputs")) {
      if (output.path("name").asText().equals("stdout")) {
        JsonNode text = output.get("text"); // nbformat 4: a string or a list of lines
        if (text.isArray()) {
          text.forEach(line -> printed.append(line.asText()));
        } else {
          printed.append(text.asText());
        }
      }
    }
    return Summary.parse(printed.toString());
  }

  /** A notebook's summary: lines of a kind followed by key=value fields. */
  private record Summary(List<Map.Entry<String, Map<String, String>>> lines) {
    static Summary parse(String text) {
      List<Map.Entry<String, Map<String, String>>> lines = new ArrayList<>();
      for (String line : text.split("\n")) {
        String[] words = line.trim().split(" +");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
          String[] kv = words[i].split("=", 2);
          fields.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        if (!words[0].isEmpty()) {
          lines.add(Map.entry(words[0], fields));
        }
      }
      return new Summary(lines);
    }

    List<Map<String, String>> all(String kind) {
      return lines.stream().filter(l -> l.getKey().equals(kind)).map(Map.Entry::getValue).toList();
    }

    Map<String, String> first(String kind) {
      List<Map<String, String>> found = all(kind);
      assertThat(found).as("a summary line '%s' in %s", kind, lines).isNotEmpty();
      return found.get(0);
    }
  }
}
