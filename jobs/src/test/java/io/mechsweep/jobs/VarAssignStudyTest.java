package io.mechsweep.jobs;

import io.mechsweep.jobs.cli.SqlFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.analysis.probes.varassign.VarAssignProbes;
import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.jobs.tasks.varassign.VarAssignTask;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.InitScheme;
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
 * A tiny varassign study through the whole pipeline on local Spark with the embedded catalog:
 * the task's config section, fresh training data each step, the shared tables, its probes, its
 * views and its report — the proof that a second task fits the seam.
 */
class VarAssignStudyTest {
  static final String TINY = """
      study: tiny-va
      task: {name: varassign, seed: 5, pool_size: 40}
      model: {d_model: 16, d_ff: 32, d_k: 16, depth: [2]}
      training:
        steps: 40
        batch_size: 64
        peak_lr: 3.0e-3
        schedule: {kind: constant}
        adamw: {weight_decay: 0.02}
        clip_norm: 0
        pack_size: 2
      seeds: [1, 2]
      evaluation: {every_steps: 20, max_rows_per_set: 40}
      probes: {rows_per_set: 16}
      checkpoints: {every_steps: 20}
      logging: {every_steps: 10}
      """;

  @TempDir static Path root;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.create("varassign", root.toString(), SparkSessions.Catalog.EMBEDDED,
        Map.of("spark.master", "local[2]"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theTaskSectionChoosesThePapersModelAndValidatesItsFields() {
    StudyConfig c = StudyConfigParser.parse(TINY, "tiny");
    assertThat(c.task()).isInstanceOf(VarAssignTask.class);
    assertThat(c.model().norm()).isEqualTo(NormPlacement.NONE);
    assertThat(c.model().mlpRemovedLayers()).containsExactly(0);
    assertThat(c.model().outputBias()).isFalse();
    assertThat(c.model().inits()).containsExactly(new InitScheme.FixedStd(0.8 / Math.sqrt(16)));
    assertThat(c.task().classes()).isEqualTo(59);
    assertThat(StudyConfigParser.parse(TINY.replace("depth: [2]", "depth: [2], gamma: [0.5, 1.0]"), "t").model().inits())
        .containsExactly(new InitScheme.Gamma(0.5), new InitScheme.Gamma(1.0));

    String bad = TINY.replace("pool_size: 40", "pool_size: 0, train_pair_fraction: 1.5, modulus: 7")
        .replace("depth: [2]", "depth: [2], init_std: 0.1, gamma: 0.5, mlp_removed_layers: [2], frozen: [embed.nope]")
        .replace("schedule: {kind: constant}", "schedule: {kind: constant, warmup_steps: 5}");
    assertThatThrownBy(() -> StudyConfigParser.parse(bad, "bad.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("task.modulus: unknown field; allowed fields here: [name, pool_size, seed, train_pair_fraction]")
        .hasMessageContaining("task.pool_size: got 0; allowed:")
        .hasMessageContaining("task.train_pair_fraction: got 1.5; allowed:")
        .hasMessageContaining("model.init_std: got 0.1; allowed: either model.gamma or model.init_std, not both")
        .hasMessageContaining("model.mlp_removed_layers: got [2]; allowed: layer indices below every depth [2]")
        .hasMessageContaining("model.frozen: got [embed.nope]; allowed: names of the model's parameters")
        .hasMessageContaining("training.schedule.warmup_steps: got 5; allowed: nothing with schedule kind constant");
    assertThatThrownBy(() -> StudyConfigParser.parse(TINY.replace("name: varassign", "name: topic"), "t"))
        .hasMessageContaining("task.name: got 'topic'; allowed: one of the known tasks [anchor, varassign, lego, topics, wikipedia]");
  }

  @Test
  void aTinyStudyWritesEveryTableProbesItsCheckpointsAndReportsThePhases() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StudyRunner.Result result = new StudyRunner(spark, root.toString(), SparkSessions.Catalog.EMBEDDED,
        new PrintStream(bytes, true, StandardCharsets.UTF_8)).train(StudyConfigParser.parse(TINY, "tiny"), true, false, false);
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(result.outcomes()).hasSize(2).extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
    assertThat(printed).contains("training: 2 runs (0 already done) in 1 packs of up to 2");
    assertThat(count("select count(*) from mechsweep.runs where study = 'tiny-va' and task = 'varassign'"
        + " and gamma is null and init_std = 0.2 and norm = 'none'")).isEqualTo(2);
    assertThat(count("select count(*) from mechsweep.metrics where study = 'tiny-va'")).isEqualTo(2 * 4);
    List<Row> pools = spark.sql("select distinct eval_set from mechsweep.evals where study = 'tiny-va' order by eval_set")
        .collectAsList();
    assertThat(pools).extracting(r -> r.getString(0)).contains("train_0var", "train_2var", "unseen_0var",
        "both_restricted_2var");
    assertThat(count("select count(*) from mechsweep.evals where study = 'tiny-va' and metric = 'accuracy'"
        + " and bucket = 'all'")).isEqualTo(2L * 3 * pools.size()); // steps 0, 20, 40
    assertThat(spark.sql("select distinct split from mechsweep.datasets where study = 'tiny-va'").collectAsList())
        .extracting(r -> r.getString(0)).containsExactlyInAnyOrderElementsOf(pools.stream().map(r -> r.getString(0)).toList());

    assertThat(result.probes().failures()).isEmpty();
    assertThat(result.probes().probed()).isEqualTo(4); // steps 20 and 40 of each run
    assertThat(spark.sql("select distinct probe from mechsweep.probes where study = 'tiny-va'").collectAsList())
        .extracting(r -> r.getString(0))
        .contains(VarAssignProbes.ADDITION_MODULE, VarAssignProbes.PREV_TOKEN_BINDING,
            VarAssignProbes.EQ_ATTENTION_OPERANDS, VarAssignProbes.EQ_ATTENTION_VALUES,
            VarAssignProbes.SAME_MLP_COSINE, "effective_rank");
    assertThat(count("select count(*) from mechsweep.probes where study = 'tiny-va' and probe = 'addition_module'"
        + " and (value < 0 or value > 1)")).isZero();

    // The views: one row per run and pool, one row of phases per run, consistent with the evals.
    assertThat(count("select count(*) from mechsweep.varassign_pools where study = 'tiny-va'"))
        .isEqualTo(2L * pools.size());
    assertThat(count("select count(*) from mechsweep.varassign_phases where study = 'tiny-va'")).isEqualTo(2);
    Row check = spark.sql("select p.final_accuracy, e.value from mechsweep.varassign_pools p join mechsweep.evals e"
        + " on e.study = p.study and e.run_id = p.run_id and e.eval_set = p.pool and e.step = 40"
        + " and e.metric = 'accuracy' and e.bucket = 'all' where p.study = 'tiny-va' and p.pool = 'train_0var' limit 1").first();
    assertThat(check.getDouble(0)).isEqualTo(check.getDouble(1));
    assertThat(printed).contains("Study tiny-va: accuracy per pool at the last evaluation")
        .contains("both_restricted_2var").contains("Phases (first evaluation step)")
        .contains("The plateau (left = every train_* pool ≥ 0.9, the assignment phase):");
    Row seed1 = spark.sql("select assignment_step, run_id from mechsweep.varassign_phases where study = 'tiny-va'"
        + " and seed = 1").first();
    assertThat(printed).containsPattern(seed1.isNullAt(0)
        ? "seed 1 \\(" + seed1.getString(1) + "\\): still on it at step 40 \\(training variable pools 0\\.\\d\\d–[01]\\.\\d\\d\\)"
        : "seed 1 \\(" + seed1.getString(1) + "\\): left it at step " + seed1.getInt(0));

    Path report = root.resolve("reports/tiny-va/index.html");
    assertThat(printed).contains("report: " + report);
    String html = Files.readString(report);
    assertThat(html).contains("Phases").contains("Accuracy per pool").doesNotContain("Phase diagram");
    try (var pictures = Files.list(root.resolve("reports/tiny-va/accuracy"))) {
      assertThat(pictures.filter(f -> f.getFileName().toString().matches("[0-9a-f]{12}\\.png"))).hasSize(2);
    }
    Path queries = Path.of(System.getProperty("mechsweep.repo", ".."), "analysis", "sql", "varassign_phases.sql");
    for (String statement : SqlFiles.statements(Files.readString(queries))) {
      assertThat(spark.sql(statement).count()).as(statement).isPositive();
    }
    // Last: the command stops the shared Spark session when it ends.
    assertThat(Main.execute(System.out, System.err, "report", "--root", root.toString(), "tiny-va")).isZero();
  }

  private static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }
}
