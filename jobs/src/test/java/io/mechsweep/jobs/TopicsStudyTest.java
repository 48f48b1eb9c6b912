package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.analysis.probes.topics.TopicsProbes;
import io.mechsweep.analysis.topics.TopicsSummary;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.jobs.tasks.topics.TopicsTask;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.Names;
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
 * A tiny topics study through the whole pipeline on local Spark: the four settings of the paper
 * on a small synthetic LDA corpus (3 topics × 4 words), early stopping, the topic probes, the
 * views, the printed summary and the report.
 */
class TopicsStudyTest {
  static final String TINY = """
      study: tiny-topics
      task:
        name: topics
        seed: 4
        topics: 3
        words_per_topic: 4
        min_length: 20
        max_length: 30
        train_docs: 200
        dev_docs: 40
        test_docs: 20
        settings: [uniform_attention, trained_embeddings, near_zero_attention, block_value]
      model: {d_model: 16, d_ff: 16, d_k: 16, heads: 1, depth: [1], init_std: 0.1}
      training:
        steps: 40
        batch_size: 20
        peak_lr: 0.01
        schedule: {kind: constant}
        adamw: {weight_decay: 0.0}
        clip_norm: 0
        early_stopping: {patience: 2}
      seeds: [1]
      evaluation: {every_steps: 10, max_rows_per_set: 40}
      probes: {rows_per_set: 10}
      checkpoints: {every_steps: 10}
      logging: {every_steps: 5}
      """;

  @TempDir static Path root;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.create("topics", root.toString(), SparkSessions.Catalog.EMBEDDED,
        Map.of("spark.master", "local[2]"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void eachSettingIsARunOfItsOwnModelAndBadConfigsNameTheirFields() {
    StudyConfig c = StudyConfigParser.parse(TINY, "tiny");
    assertThat(c.task()).isInstanceOf(TopicsTask.class);
    assertThat(c.task().vocabSize()).isEqualTo(16);
    assertThat(c.task().seqLen()).isEqualTo(32);
    StudyPlan plan = StudyPlan.of(c);
    assertThat(plan.runs()).hasSize(4);
    assertThat(plan.runs()).extracting(r -> r.config().dataVariant())
        .containsExactly("uniform_attention", "trained_embeddings", "near_zero_attention", "block_value");
    assertThat(plan.runs()).extracting(r -> r.config().earlyStoppingPatience()).containsOnly(2);
    List<PackSpec> packs = plan.packs(plan.runs());
    assertThat(packs).extracting(PackSpec::packId).containsExactly("tiny-topics-d1-block_value-0",
        "tiny-topics-d1-near_zero_attention-0", "tiny-topics-d1-trained_embeddings-0", "tiny-topics-d1-uniform_attention-0");
    assertThat(packs.get(0).model().frozen()).contains(Names.attnV(0), Names.TOKEN_EMBEDDING).doesNotContain(Names.attnQ(0));
    assertThat(packs.get(2).model().frozen()).contains(Names.attnQ(0)).doesNotContain(Names.TOKEN_EMBEDDING);
    assertThat(packs.get(3).model().frozen()).contains(Names.attnQ(0), Names.attnK(0), Names.TOKEN_EMBEDDING);

    assertThatThrownBy(() -> StudyConfigParser.parse(TINY.replace("d_model: 16", "d_model: 20")
        .replace("[uniform_attention, trained_embeddings", "[uniform, trained_embeddings")
        .replace("depth: [1]", "depth: [1, 2]"), "bad.yaml"))
        .hasMessageContaining("task.settings: got [\"uniform\",\"trained_embeddings\",\"near_zero_attention\","
            + "\"block_value\"]; allowed: one of [uniform_attention, trained_embeddings, near_zero_attention,"
            + " block_value] or a list of them");
    assertThatThrownBy(() -> StudyConfigParser.parse(TINY.replace("d_model: 16", "d_model: 20")
        .replace("depth: [1]", "depth: [1, 2]"), "bad.yaml"))
        .hasMessageContaining("model.d_model: got 20; allowed: 16 (the topics encoder is as wide as the vocabulary")
        .hasMessageContaining("model.depth: got [1, 2]; allowed: [1]");
    assertThatThrownBy(() -> StudyConfigParser.parse(StudyConfigParserTest.TINY.replace("  steps: ",
        "  early_stopping: {patience: 3}\n  steps: "), "anchor.yaml"))
        .hasMessageContaining("training.early_stopping.patience: got 3; allowed: 0 for task anchor");
  }

  @Test
  void aTinyStudyProbesTopicStructureForEverySetting() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StudyRunner runner = new StudyRunner(spark, root.toString(), SparkSessions.Catalog.EMBEDDED,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    StudyRunner.Result result = runner.train(StudyConfigParser.parse(TINY, "tiny"), true, false, false);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(result.outcomes()).hasSize(4).extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
    assertThat(result.probes().failures()).isEmpty();

    // Uniform attention reads 1 in every bucket (weights scaled by the document's length), and W_Q W_Kᵀ = 0.
    for (Row r : rows("select bucket, value from mechsweep." + TopicsSummary.BUCKETS + " where study = 'tiny-topics'"
        + " and setting = 'uniform_attention' and probe = '" + TopicsProbes.ATTENTION + "'")) {
      assertThat(r.getDouble(1)).as("uniform attention, bucket %s", r.getString(0)).isCloseTo(1.0,
          org.assertj.core.data.Offset.offset(1e-4));
    }
    assertThat(rows("select distinct bucket from mechsweep.probes where study = 'tiny-topics' and probe = '"
        + TopicsProbes.ATTENTION + "'")).extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("same_token", "same_topic", "different_topic");
    assertThat(rows("select max(abs(value)) from mechsweep." + TopicsSummary.BUCKETS + " where study = 'tiny-topics'"
        + " and setting = 'uniform_attention' and probe = 'kq_norm'").get(0).getDouble(0)).isZero();
    // W_V frozen to the block matrix: 3 topics × 4² ones, so ‖W_V‖ = √48 at every step, and a word's value
    // is its topic's indicator: products 4 within a topic (same word or not), 0 across topics.
    for (Row r : rows("select probe, bucket, value from mechsweep." + TopicsSummary.BUCKETS + " where study ="
        + " 'tiny-topics' and setting = 'block_value' and probe in ('wv_norm', 'value_product')")) {
      double expected = r.getString(0).equals("wv_norm") ? Math.sqrt(48)
          : r.getString(1).equals("different_topic") ? 0 : 4;
      assertThat(r.getDouble(2)).as("%s %s", r.getString(0), r.getString(1)).isCloseTo(expected,
          org.assertj.core.data.Offset.offset(1e-5));
    }
    // Trained embeddings move away from one-hot; the one-hot settings' embeddings stay orthogonal.
    assertThat(rows("select max(abs(value)) from mechsweep." + TopicsSummary.BUCKETS + " where study = 'tiny-topics'"
        + " and setting = 'trained_embeddings' and probe = 'embedding_cosine' and bucket = 'different_topic'")
        .get(0).getDouble(0)).isPositive();
    assertThat(rows("select max(abs(value)) from mechsweep." + TopicsSummary.BUCKETS + " where study = 'tiny-topics'"
        + " and setting = 'near_zero_attention' and probe = 'embedding_cosine' and bucket <> 'same_token'")
        .get(0).getDouble(0)).isZero();
    // The heatmap matrix covers every word; a masked LM's evaluation has no per-slot accuracy rows.
    assertThat(count("select count(*) from mechsweep.probes where study = 'tiny-topics' and probe = '"
        + TopicsProbes.VALUE_MATRIX + "' and step = 10")).isEqualTo(4L * 12 * 12);
    assertThat(count("select count(*) from mechsweep.evals where study = 'tiny-topics' and bucket like 'read%'"))
        .isZero();
    // Early stopping ends a run's checkpoints and its evaluations at the step it stopped.
    for (Row r : rows("select r.run_id, r.final_step, max(p.step), max(e.step) from mechsweep.runs r join"
        + " mechsweep.probes p on p.run_id = r.run_id join mechsweep.evals e on e.run_id = r.run_id where r.study ="
        + " 'tiny-topics' group by r.run_id, r.final_step")) {
      assertThat(r.getInt(2)).as("last checkpoint of %s", r.getString(0)).isEqualTo(r.getInt(1));
      assertThat(r.getInt(3)).as("last evaluation of %s", r.getString(0)).isEqualTo(r.getInt(1));
    }

    List<Row> settings = rows("select setting, best_dev_ce, attention_same_topic from mechsweep."
        + TopicsSummary.SETTINGS + " where study = 'tiny-topics' order by setting");
    assertThat(settings).extracting(r -> r.getString(0))
        .containsExactly("block_value", "near_zero_attention", "trained_embeddings", "uniform_attention");
    assertThat(settings).allSatisfy(r -> assertThat(r.getDouble(1)).isBetween(0.5, Math.log(16) + 0.5));
    assertThat(printed).contains("Study tiny-topics: masked LM per setting").contains("uniform_attention")
        .contains("block_value");
    String html = Files.readString(root.resolve("reports/tiny-topics/index.html"));
    assertThat(html).contains("Topic structure over training").contains("Value products at the last checkpoint");
    assertThat(root.resolve("reports/tiny-topics/curves/uniform_attention-topic_attention.png")).exists();
    assertThat(root.resolve("reports/tiny-topics/values/block_value.png")).exists();
  }

  private static List<Row> rows(String sql) {
    return spark.sql(sql).collectAsList();
  }

  private static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }
}
