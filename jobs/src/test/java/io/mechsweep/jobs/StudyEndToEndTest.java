package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.stages.SparkSessions;
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

/** A whole tiny study on local Spark with the embedded catalog: every table, then a re-run. */
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
        new PrintStream(out, true, StandardCharsets.UTF_8)).train(CONFIG, true, false);
  }

  @Test
  @Order(1)
  void trainingWithoutADatasetSaysWhatToRun() {
    assertThatThrownBy(() -> new StudyRunner(spark, root.toString(), SparkSessions.Catalog.EMBEDDED,
        new PrintStream(new ByteArrayOutputStream())).train(CONFIG, false, false))
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
    assertThat(printed.lines().filter(l -> l.matches("^[12]\\s+0\\.[38]0\\s.*")).count()).isEqualTo(4);

    for (Tables.Table t : Tables.ALL) {
      assertThat(root.resolve("tables").resolve(t.name()).resolve("study=tiny")).isDirectory();
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
    Row run = spark.sql("select status, final_step, depth, gamma, config_json from mechsweep.runs limit 1").first();
    assertThat(run.getString(0)).isEqualTo("finished");
    assertThat(run.getInt(1)).isEqualTo(12);
    assertThat(run.getString(4)).contains("\"dataset_id\"");
    try (var results = Files.list(root.resolve("results"))) {
      assertThat(results.filter(p -> p.getFileName().toString().matches("[0-9a-f]{12}\\.json"))).hasSize(8);
    }
  }

  @Test
  @Order(3)
  void reRunningSkipsFinishedRunsAndDuplicatesNothing() throws Exception {
    List<Row> before = spark.sql("select * from mechsweep.evals order by run_id, step, eval_set, metric, bucket").collectAsList();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    runStudy(out);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("training: 8 runs (8 already done) in 0 packs")
        .contains("reusing");
    assertThat(count("runs")).isEqualTo(8);
    assertThat(spark.sql("select * from mechsweep.evals order by run_id, step, eval_set, metric, bucket").collectAsList())
        .containsExactlyElementsOf(before);
  }

  private static long count(String table) {
    return spark.sql("select count(*) from mechsweep." + table).first().getLong(0);
  }
}
