package io.mechsweep.jobs;

import io.mechsweep.jobs.cli.SqlFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.analysis.lego.LegoSummary;
import io.mechsweep.analysis.probes.lego.LegoProbes;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.jobs.tasks.lego.LegoTask;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.NormPlacement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny lego study through the whole pipeline on local Spark: untied and tied layers, with and
 * without the mimicking stage, every table, the probes, the views and the report; then a second
 * study whose runs start from the first one's checkpoint and train on sorted and shuffled clauses.
 */
class LegoStudyTest {
  static final String TINY = """
      study: tiny-lego
      task: {name: lego, seed: 3, chain_length: 4, supervised: 2, train_rows: 300, test_rows: 40}
      model: {d_model: 16, d_ff: 32, d_k: 8, heads: 2, depth: [2], gamma: 0.5, tied_layers: [false, true]}
      training:
        steps: 20
        batch_size: 32
        peak_lr: 1.0e-3
        schedule: {kind: constant}
        mimic: {steps: [0, 10], lr: 1.0e-2}
        pack_size: 2
      seeds: [1]
      evaluation: {every_steps: 10, max_rows_per_set: 40}
      probes: {rows_per_set: 8}
      checkpoints: {every_steps: 10}
      logging: {every_steps: 5}
      """;

  @TempDir static Path root;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.create("lego", root.toString(), SparkSessions.Catalog.EMBEDDED,
        Map.of("spark.master", "local[2]"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theConfigChoosesTheEncoderAndTheGridSplitsPacksByTyingAndMimicking() {
    StudyConfig c = StudyConfigParser.parse(TINY, "tiny");
    assertThat(c.task()).isInstanceOf(LegoTask.class);
    assertThat(c.task().seqLen()).isEqualTo(22);
    assertThat(c.model().norm()).isEqualTo(NormPlacement.PRE);
    assertThat(c.model().causal()).isFalse();
    StudyPlan plan = StudyPlan.of(c);
    assertThat(plan.runs()).hasSize(4);
    List<PackSpec> packs = plan.packs(plan.runs());
    assertThat(packs).extracting(PackSpec::packId)
        .containsExactly("tiny-lego-d2-0", "tiny-lego-d2-mimic10-0", "tiny-lego-d2-tied-0", "tiny-lego-d2-tied-mimic10-0");
    assertThat(packs.get(2).model().tiedLayers()).isTrue();
    assertThat(packs.get(1).mimic().steps()).isEqualTo(10);

    assertThatThrownBy(() -> StudyConfigParser.parse(TINY.replace("chain_length: 4, supervised: 2", "chain_length: 4,"
        + " supervised: 5, train_order: [sideways]").replace("heads: 2", "heads: 1").replace("tied_layers: [false, true]",
        "tied_layers: [maybe], init_from: [none, 'a b']"), "bad.yaml"))
        .hasMessageContaining("task.supervised: got 5; allowed: 1..4, the longest training chain")
        .hasMessageContaining("task.train_order: got [\"sideways\"]; allowed: one of [shuffled, sorted] or a list of them")
        .hasMessageContaining("model.tied_layers: got [\"maybe\"]; allowed: true, false or a list of them")
        .hasMessageContaining("model.init_from: got 'a b'; allowed: 'none' or a run id")
        .hasMessageContaining("training.mimic.steps: got [0, 10]; allowed: 0 unless model.heads ≥ 2");
    assertThatThrownBy(() -> StudyConfigParser.parse(TINY.replace("tied_layers: [false, true]", "tied_layers: [true, true]"),
        "twice.yaml")).hasMessageContaining("model.tied_layers: got [true, true]; allowed: distinct values");
  }

  @Test
  void aTinyStudyWritesEveryTableAndASecondStudyStartsFromItsCheckpoint() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StudyRunner runner = new StudyRunner(spark, root.toString(), SparkSessions.Catalog.EMBEDDED,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    StudyConfig config = StudyConfigParser.parse(TINY, "tiny");
    StudyRunner.Result result = runner.train(config, true, false, false);
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(result.outcomes()).hasSize(4).extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
    assertThat(count("select count(*) from mechsweep.runs where study = 'tiny-lego' and task = 'lego'"
        + " and config_json like '%\"tied_layers\":true%'")).isEqualTo(2);
    assertThat(count("select count(*) from mechsweep.metrics where study = 'tiny-lego' and stage = 'mimic'"))
        .isEqualTo(2 * 2); // two mimicking runs, logged at mimic steps 5 and 10
    assertThat(count("select count(*) from mechsweep.metrics where study = 'tiny-lego' and stage = 'train'"))
        .isEqualTo(4 * 4);
    // Accuracy per chain position on both clause orders at steps 0, 10, 20.
    assertThat(count("select count(*) from mechsweep.evals where study = 'tiny-lego' and metric = 'accuracy'"
        + " and bucket like 'read_%'")).isEqualTo(4L * 2 * 3 * 4);
    assertThat(count("select count(*) from mechsweep.datasets where study = 'tiny-lego' and task = 'lego'")).isEqualTo(2);

    assertThat(result.probes().failures()).isEmpty();
    // Per layer and head on both probe sets: 2 layers × 2 heads × 2 sets per checkpoint, 2 checkpoints per run.
    assertThat(count("select count(*) from mechsweep.probes where study = 'tiny-lego' and probe = '"
        + LegoProbes.ASSOCIATION + "' and value between 0 and 1")).isEqualTo(4L * 2 * 2 * 2 * 2);
    assertThat(count("select count(*) from mechsweep.probes where study = 'tiny-lego' and probe = '"
        + LegoProbes.KL_LOCAL + "' and value >= 0")).isEqualTo(4L * 2 * 2 * 2 * 2);
    assertThat(count("select count(*) from mechsweep.probes where study = 'tiny-lego' and probe = '"
        + LegoProbes.ATTENTION_MAP + "'")).isEqualTo(4L * 2 * 2 * 2 * 22 * 22);

    // Views: one row per run, set and position; one per variant and set.
    assertThat(count("select count(*) from mechsweep." + LegoSummary.POSITIONS + " where study = 'tiny-lego'"))
        .isEqualTo(4L * 2 * 4);
    assertThat(count("select count(*) from mechsweep." + LegoSummary.POSITIONS + " where study = 'tiny-lego'"
        + " and supervised")).isEqualTo(4L * 2 * 2);
    List<Row> variants = spark.sql("select variant from mechsweep." + LegoSummary.VARIANTS
        + " where study = 'tiny-lego' and eval_set = 'test_shuffled' order by variant").collectAsList();
    assertThat(variants).extracting(r -> r.getString(0))
        .containsExactly("mimicked tied", "mimicked untied", "random tied", "random untied");
    assertThat(printed).contains("Study tiny-lego: final accuracy per variant").contains("random untied");

    String html = Files.readString(root.resolve("reports/tiny-lego/index.html"));
    assertThat(html).contains("Accuracy per chain position").contains("Association and local heads");
    assertThat(root.resolve("reports/tiny-lego/positions/test_shuffled.png")).exists();
    assertThat(root.resolve("reports/tiny-lego/attention/" + LegoProbes.ASSOCIATION + ".png")).exists();
    Path queries = Path.of(System.getProperty("mechsweep.repo", ".."), "analysis", "sql", "lego_positions.sql");
    for (String statement : SqlFiles.statements(Files.readString(queries))) {
      assertThat(spark.sql(statement).count()).as(statement).isPositive();
    }

    // A second study: its runs start from the first study's untied random run, on both clause orders.
    String source = StudyPlan.of(config).runs().stream().filter(r -> !r.point().tiedLayers() && r.point().mimicSteps() == 0)
        .map(RunSpec::runId).findFirst().orElseThrow();
    String pretrained = TINY.replace("tiny-lego", "tiny-lego-pre")
        .replace("tied_layers: [false, true]", "init_from: [" + source + "]")
        .replace("seed: 3, chain_length", "seed: 3, train_order: [shuffled, sorted], chain_length")
        .replace("mimic: {steps: [0, 10], lr: 1.0e-2}", "mimic: {steps: 0}");
    StudyRunner.Result second = runner.train(StudyConfigParser.parse(pretrained, "pre"), true, false, false);
    assertThat(second.outcomes()).hasSize(2).extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
    assertThat(count("select count(*) from mechsweep.runs where study = 'tiny-lego-pre' and config_json like '%\"init_from\":\""
        + source + "\"%'")).isEqualTo(2);
    assertThat(spark.sql("select variant from mechsweep." + LegoSummary.VARIANTS + " where study = 'tiny-lego-pre'"
        + " and eval_set = 'test_shuffled' order by variant").collectAsList()).extracting(r -> r.getString(0))
        .containsExactly("pretrained untied", "pretrained untied, trained sorted");
  }

  private static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }
}
