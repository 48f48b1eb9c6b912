package io.mechsweep.jobs;

import io.mechsweep.jobs.cli.SqlFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.analysis.probes.anchor.AnchorProbes;
import io.mechsweep.analysis.tables.TableStore;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.stages.DatasetStage;
import io.mechsweep.jobs.stages.ProbeStage;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.jobs.tasks.Tasks;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole tiny study on local Spark with the embedded catalog: every table, the probes, views and
 * report, a re-run, a damaged checkpoint, a second Parquet reader and the command line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudyEndToEndTest {
  @TempDir static Path root;
  private static SparkSession spark;
  private static final StudyConfig CONFIG =
      io.mechsweep.jobs.config.StudyConfigParser.parse(StudyConfigParserTest.TINY, "tiny");

  @BeforeAll
  static void start() {
    spark = SparkSessions.create("e2e", root.toString(), SparkSessions.Catalog.EMBEDDED,
        Map.of("spark.master", "local[2]"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static StudyRunner.Result runStudy(ByteArrayOutputStream out) throws Exception {
    return new StudyRunner(spark, root.toString(), SparkSessions.Catalog.EMBEDDED,
        new PrintStream(out, true, StandardCharsets.UTF_8)).train(CONFIG, true, false, false);
  }

  @Test
  @Order(1)
  void trainingWithoutADatasetSaysWhatToRun() {
    assertThatThrownBy(() -> new StudyRunner(spark, root.toString(), SparkSessions.Catalog.EMBEDDED,
        new PrintStream(new ByteArrayOutputStream())).train(CONFIG, false, false, false))
        .hasMessageContaining("no complete dataset").hasMessageContaining("mechsweep generate");
  }

  @Test
  @Order(2)
  void aStudyWritesEveryTableWithItsSchemaAndPrintsTheGrid() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StudyRunner.Result result = runStudy(out);
    String printed = out.toString(StandardCharsets.UTF_8);

    assertThat(result.outcomes()).hasSize(8).extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
    assertThat(printed).contains("training: 8 runs (0 already done) in 4 packs of up to 3");
    assertThat(printed).contains("depth gamma  peak_lr");
    // The 4 cells, once in the solution table and once in the key-side table.
    assertThat(printed.lines().filter(l -> l.matches("^[12]\\s+0\\.[38]0\\s.*")).count()).isEqualTo(8);

    List<Tables.Table> written = new java.util.ArrayList<>(Tables.SHARED);
    written.addAll(new io.mechsweep.jobs.tasks.anchor.AnchorTask.Kind().tables());
    for (Tables.Table t : Tasks.tables()) { // every table in the catalog; this task's and the shared ones written
      assertThat(root.resolve("tables").resolve(t.name()).resolve("study=tiny").toFile().isDirectory())
          .as(t.name()).isEqualTo(written.contains(t));
      List<String> columns = Arrays.stream(spark.table("mechsweep." + t.name()).schema().fields())
          .map(f -> f.name() + ":" + f.dataType().simpleString()).toList();
      List<String> expected = new java.util.ArrayList<>(Arrays.stream(t.schema().fields())
          .map(f -> f.name() + ":" + f.dataType().simpleString()).toList());
      expected.add("study:string");
      assertThat(columns).as(t.name()).containsExactlyElementsOf(expected);
    }
    assertThat(count("runs")).isEqualTo(8);
    assertThat(count("metrics")).isEqualTo(8 * 6); // logged every 2 of 12 steps
    assertThat(count("solutions")).isEqualTo(8 * 3); // evaluated at steps 0, 6, 12
    assertThat(spark.sql("select count(*) from mechsweep.solutions where is_final").first().getLong(0)).isEqualTo(8);
    assertThat(spark.sql("select distinct split from mechsweep.datasets order by split").collectAsList())
        .extracting(r -> r.getString(0)).containsExactly("heldout_keys", "train", "unseen_pair");
    Row unseen = spark.sql("select sum(value) from mechsweep.evals where eval_set = 'unseen_pair'"
        + " and metric = 'deviation' and step = 12 group by run_id").first();
    assertThat(unseen.getDouble(0)).as("the deviation histogram sums to 1").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    // (4,3) by key side: the two sets split unseen_pair's rows, so their accuracies, weighted by
    // their rows, give unseen_pair's (inferential and symmetric alike).
    List<Row> sides = spark.sql("select e.run_id, e.metric, sum(case when e.eval_set = 'unseen_pair' then e.value end),"
        + " sum(case when e.eval_set <> 'unseen_pair' then e.value * e.n end) / sum(case when e.eval_set <> 'unseen_pair'"
        + " then e.n end), count(distinct e.eval_set) from mechsweep.evals e where e.step = 12 and e.bucket = 'all'"
        + " and e.metric in ('accuracy', 'symmetric_accuracy') and e.eval_set like 'unseen_pair%'"
        + " group by e.run_id, e.metric").collectAsList();
    assertThat(sides).hasSize(16).allSatisfy(r -> {
      assertThat(r.getLong(4)).isEqualTo(3);
      assertThat(r.getDouble(3)).isCloseTo(r.getDouble(2), org.assertj.core.data.Offset.offset(1e-9));
    });
    assertThat(spark.sql("select count(*) from mechsweep.anchor_run_summary where inferential_accuracy_train_keys is not null"
        + " and symmetric_accuracy_heldout_keys is not null").first().getLong(0)).isEqualTo(8);
    Row run = spark.sql("select status, final_step, depth, gamma, config_json from mechsweep.runs limit 1").first();
    assertThat(run.getString(0)).isEqualTo("finished");
    assertThat(run.getInt(1)).isEqualTo(12);
    assertThat(run.getString(4)).contains("\"dataset_id\"");
    try (var results = Files.list(root.resolve("results"))) {
      assertThat(results.filter(p -> p.getFileName().toString().matches("[0-9a-f]{12}\\.json"))).hasSize(8);
    }

    int checkpoints = checkpointsOnDisk();
    assertThat(checkpoints).isGreaterThanOrEqualTo(16); // steps 6 and 12 of each run
    assertThat(printed).contains("probes: " + checkpoints + " checkpoints probed (0 already in the table)")
        .contains("ms per checkpoint");
    assertThat(result.probes().failures()).isEmpty();
    assertThat(spark.sql("select count(distinct run_id, step) from mechsweep.probes").first().getLong(0))
        .isEqualTo(checkpoints);
    // Every weight matrix of a depth-2 model: 2 embeddings, 6 per block, the unembedding.
    assertThat(spark.sql("select count(distinct tensor) from mechsweep.probes p join mechsweep.runs r"
        + " using (study, run_id) where r.depth = 2 and p.probe = 'effective_rank'").first().getLong(0)).isEqualTo(15);
    assertThat(spark.sql("select min(value), max(value) from mechsweep.probes where probe = 'attn_flow'"
        + " and bucket like 'last->%'").first()).satisfies(r -> {
          assertThat(r.getDouble(0)).isGreaterThanOrEqualTo(0);
          assertThat(r.getDouble(1)).isLessThanOrEqualTo(1);
        });
    assertThat(spark.sql("select sum(value) from mechsweep.probes where probe = 'attn_flow' and bucket like 'a1->%'"
        + " group by run_id, step, layer, probe_set").collectAsList())
        .as("a1 sees only the noise before the key, the key and itself: its attention sums to 1")
        .hasSize(checkpoints * 3) // half the runs have 1 layer, half 2; two probe sets
        .allSatisfy(r -> assertThat(r.getDouble(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5)));

    List<Row> cells = spark.sql("select depth, gamma, solution_type, runs, no_fit from mechsweep.anchor_phase_diagram"
        + " order by depth, gamma").collectAsList();
    assertThat(cells).hasSize(4).allSatisfy(c -> assertThat(c.getLong(3)).isEqualTo(2));
    assertThat(cells).extracting(c -> c.getInt(0) + "/" + c.getDouble(1))
        .containsExactly("1/0.3", "1/0.8", "2/0.3", "2/0.8");
    assertThat(spark.sql("select count(*) from mechsweep.anchor_run_summary where probe_step = 12"
        + " and l1_wq_effective_rank > 0 and l1_unseen_a2_to_a1 is not null").first().getLong(0)).isEqualTo(8);

    Path index = root.resolve("reports/tiny/index.html");
    assertThat(result.report()).endsWith("reports/tiny/index.html");
    String html = Files.readString(index);
    assertThat(html).contains("<h2>Phase diagram</h2>", "<h2>Training curves</h2>", "Attention flow",
        "<h2>The unseen pair by key side</h2>", "inferential_train_keys", "symmetric_accuracy_heldout_keys");
    assertThat(printed).contains("(4,3) by key side").containsPattern("(?m)^2 +0\\.80 +.* ± .* ± .* ± .* ± ");
    for (Row c : cells) {
      assertThat(html).contains("<td>" + c.getString(2) + "</td>");
    }
    List<String> images = java.util.regex.Pattern.compile("<img src=\"([^\"]+)\"").matcher(html).results()
        .map(m -> m.group(1)).toList();
    assertThat(images).contains("phase-diagram.png", "effective-rank.png", "condensation.png", "spectra-depth2.png")
        .filteredOn(i -> i.startsWith("curves/")).hasSize(8);
    assertThat(images).filteredOn(i -> i.startsWith("attention/")).hasSize(4); // one per cell
    for (String image : images) {
      java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(index.resolveSibling(image).toFile());
      assertThat(png).as(image).isNotNull();
      assertThat(png.getWidth()).as(image).isGreaterThan(300);
    }
  }

  @Test
  @Order(3)
  void reRunningSkipsFinishedRunsAndDuplicatesNothing() throws Exception {
    probesBefore = spark.sql("select count(*) from mechsweep.probes").first().getLong(0);
    List<Row> before = spark.sql("select * from mechsweep.evals order by run_id, step, eval_set, metric, bucket").collectAsList();
    long probeFiles;
    try (var files = Files.list(root.resolve("tables/probes/study=tiny"))) {
      probeFiles = files.count();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    runStudy(out);
    try (var files = Files.list(root.resolve("tables/probes/study=tiny"))) {
      assertThat(files.count()).as("a no-op re-run writes no probe file").isEqualTo(probeFiles);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("training: 8 runs (8 already done) in 0 packs")
        .contains("reusing");
    assertThat(count("runs")).isEqualTo(8);
    assertThat(spark.sql("select * from mechsweep.evals order by run_id, step, eval_set, metric, bucket").collectAsList())
        .containsExactlyElementsOf(before);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("probes: nothing new to probe (" + checkpointsOnDisk() + " checkpoints already in the table)");
    assertThat(spark.sql("select count(*) from mechsweep.probes").first().getLong(0)).isEqualTo(probesBefore);
  }

  @Test
  @Order(4)
  void aCorruptCheckpointIsReportedAndTheOthersAreProbed() throws Exception {
    StudyPlan plan = StudyPlan.of(CONFIG);
    long perCheckpoint = spark.sql("select count(*) from mechsweep.probes where step = 6 and run_id = '"
        + plan.runs().get(0).runId() + "'").first().getLong(0);
    Path params = root.resolve("checkpoints").resolve(plan.runs().get(0).runId()).resolve("step-00000006/params.npz");
    byte[] original = Files.readAllBytes(params);
    byte[] damaged = original.clone();
    damaged[damaged.length / 2] ^= 0x5a;
    Files.write(params, damaged);
    Files.deleteIfExists(params.resolveSibling(".params.npz.crc")); // let our own checksum catch it
    deleteTree(root.resolve("tables/probes/study=tiny"));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProbeStage.Result r = probeStage(out);
    assertThat(r.failures()).singleElement().asString()
        .contains("step 6").contains("does not match its recorded SHA-256");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("probes: skipped run " + plan.runs().get(0).runId());
    assertThat(r.probed()).isEqualTo(checkpointsOnDisk() - 1);
    assertThat(spark.sql("select count(*) from mechsweep.probes").first().getLong(0)).isEqualTo(probesBefore - perCheckpoint);

    Files.write(params, original); // repaired: the next run probes just that checkpoint
    r = probeStage(new ByteArrayOutputStream());
    assertThat(r.probed()).isEqualTo(1);
    assertThat(r.alreadyProbed()).isEqualTo(checkpointsOnDisk() - 1);
    assertThat(spark.sql("select count(*) from mechsweep.probes").first().getLong(0)).isEqualTo(probesBefore);
  }

  @Test
  @Order(5)
  void aReaderOtherThanSparkReadsTheSameTables() throws Exception {
    Row spark = StudyEndToEndTest.spark.sql("select count(*), sum(value), count(distinct run_id) from mechsweep.probes"
        + " where probe != 'last_attn_out_cos'").first();
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = duck.createStatement()) {
      String probes = root.resolve("tables/probes").toString().replace("'", "''") + "/*/*.parquet";
      try (java.sql.ResultSet rs = st.executeQuery("select count(*), sum(value), count(distinct run_id), min(study)"
          + " from read_parquet('" + probes + "', hive_partitioning = true) where probe != 'last_attn_out_cos'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(spark.getLong(0));
        assertThat(rs.getDouble(2)).isCloseTo(spark.getDouble(1), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(rs.getLong(3)).isEqualTo(8);
        assertThat(rs.getString(4)).isEqualTo("tiny");
      }
      String runs = root.resolve("tables/runs").toString().replace("'", "''") + "/*/*.parquet";
      try (java.sql.ResultSet rs = st.executeQuery("select run_id, gamma, depth, status from read_parquet('" + runs
          + "', hive_partitioning = true) order by run_id")) {
        List<String> duckRuns = new java.util.ArrayList<>();
        while (rs.next()) {
          duckRuns.add(rs.getString(1) + " " + rs.getDouble(2) + " " + rs.getInt(3) + " " + rs.getString(4));
        }
        assertThat(duckRuns).containsExactlyElementsOf(StudyEndToEndTest.spark.sql(
            "select run_id, gamma, depth, status from mechsweep.runs order by run_id").collectAsList().stream()
            .map(r -> r.getString(0) + " " + r.getDouble(1) + " " + r.getInt(2) + " " + r.getString(3)).toList());
      }
    }
  }

  @Test
  @Order(6)
  void theExampleQueriesRunAgainstTheCatalog() throws Exception {
    Path dir = Path.of(System.getProperty("mechsweep.repo", ".."), "analysis", "sql");
    List<Path> files;
    try (var list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".sql") && !p.getFileName().toString().startsWith("varassign_")
          && !p.getFileName().toString().startsWith("lego_"))
          .sorted().toList(); // varassign's and lego's queries run in VarAssignStudyTest and LegoStudyTest
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("phase_diagram.sql", "accuracy_vs_step.sql", "probe_vs_gamma.sql");
    for (Path f : files) {
      for (String statement : SqlFiles.statements(Files.readString(f))) {
        assertThat(spark.sql(statement).count()).as(f.getFileName() + ": " + statement).isPositive();
      }
    }
    // Without a catalog (--catalog none) the same views exist as temporary views over the paths.
    io.mechsweep.analysis.tables.Views pathViews =
        io.mechsweep.analysis.tables.Views.register(spark, new TableStore(spark, root.toString(), false),
            Tasks.tables(), Tasks.views());
    assertThat(pathViews.sql("select * from ${db}anchor_phase_diagram order by depth, gamma").collectAsList())
        .containsExactlyElementsOf(spark.sql("select * from mechsweep.anchor_phase_diagram order by depth, gamma").collectAsList());
  }

  @Test
  @Order(7)
  void theCommandLineQueriesReprobesAndRegeneratesTheReport() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.execute(System.out, System.err, "sql", "--root", root.toString(),
          "select depth, gamma, solution_type from mechsweep.anchor_phase_diagram order by depth, gamma")).isZero();
      Path config = Files.writeString(root.resolve("tiny.yaml"), StudyConfigParserTest.TINY);
      assertThat(Main.execute(System.out, System.err, "study", "--root", root.toString(), config.toString(),
          "--reprobe")).isZero();
      Files.delete(root.resolve("reports/tiny/index.html"));
      assertThat(Main.execute(System.out, new PrintStream(err), "report", "--root", root.toString(), "tiny")).isZero();
      assertThat(Main.execute(System.out, new PrintStream(err), "report", "--root", root.toString(), "nope")).isEqualTo(2);
      assertThat(Main.execute(System.out, new PrintStream(err), "sql", "--root", root.toString(),
          "select no_such_column from mechsweep.anchor_phase_diagram")).isEqualTo(2);
    } finally {
      System.setOut(stdout);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("|depth|gamma|solution_type|");
    assertThat(printed).as("--reprobe replaces the probe rows: all probed again, none duplicated")
        .contains("probes: " + checkpointsOnDisk() + " checkpoints probed (0 already in the table)")
        .contains("; " + probesBefore + " rows");
    assertThat(printed).contains("report: " + root.resolve("reports/tiny/index.html"));
    assertThat(root.resolve("reports/tiny/index.html")).isNotEmptyFile();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("study 'nope' has no runs in the tables")
        .contains("no_such_column");
  }

  private static long probesBefore;

  private static ProbeStage.Result probeStage(ByteArrayOutputStream out) throws Exception {
    StudyPlan plan = StudyPlan.of(CONFIG);
    String datasetDir = DatasetStage.dir(root.toString(), CONFIG.task());
    return ProbeStage.run(spark, plan, AnchorProbes.of(io.mechsweep.datagen.anchor.AnchorDataset.readSplits(spark, datasetDir), 64),
        new RunStore(root.toString(), new HadoopFiles(spark.sparkContext().hadoopConfiguration())),
        new TableStore(spark, root.toString(), true), false, new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private static int checkpointsOnDisk() throws Exception {
    try (var states = Files.walk(root.resolve("checkpoints"))) {
      return (int) states.filter(p -> p.getFileName().toString().equals("state.json")).count();
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static long count(String table) {
    return spark.sql("select count(*) from mechsweep." + table).first().getLong(0);
  }
}
