package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.analysis.probes.topics.TopicsProbes;
import io.mechsweep.analysis.topics.TopicsSummary;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.training.eval.RunOutcome;
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
 * The Wikipedia study on the real dump excerpt in ../shared/data/wikipedia: the corpus job's
 * counts printed and in the catalog, the vocabulary and LDA tables, a small masked LM probed
 * against the LDA assignment, the report; then lego runs whose blocks start from its encoder.
 */
class WikipediaStudyTest {
  static final Path SAMPLE = Path.of(System.getProperty("mechsweep.shared", "../../shared"),
      "data", "wikipedia", "enwiki-sample-pages-articles.xml.bz2");
  static final String TINY = """
      study: tiny-wiki
      task:
        name: wikipedia
        input: %s
        seed: 5
        topics: 5
        vocabulary_size: 300
        lda_iterations: 10
        seq_len: 34
      model: {d_model: 16, d_ff: 32, d_k: 8, heads: 2, depth: [1]}
      training:
        steps: 20
        batch_size: 16
        peak_lr: 1.0e-3
        schedule: {kind: constant}
      seeds: [1]
      evaluation: {every_steps: 10, max_rows_per_set: 50}
      probes: {rows_per_set: 20}
      checkpoints: {every_steps: 10}
      logging: {every_steps: 5}
      """;

  @TempDir static Path root;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.create("wikipedia", root.toString(), SparkSessions.Catalog.EMBEDDED,
        Map.of("spark.master", "local[2]"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theSampleBecomesTablesAMaskedLmAndAnEncoderForLego() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StudyRunner runner = new StudyRunner(spark, root.toString(), SparkSessions.Catalog.EMBEDDED,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    var config = StudyConfigParser.parse(TINY.formatted(SAMPLE.toAbsolutePath()), "tiny-wiki");
    StudyRunner.Result result = runner.train(config, true, false, false);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(result.outcomes()).hasSize(1).extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
    assertThat(printed).contains("206 pages: 106 articles kept, 100 redirects and 0 pages of other namespaces"
        + " dropped, 0 malformed and 0 empty pages skipped").contains("LDA log perplexity")
        .contains("Study tiny-wiki: Wikipedia pages by status: article 106 empty 0 malformed 0 other_namespace 0"
            + " redirect 100");

    assertThat(rows("select status, pages from mechsweep.wikipedia_pages where study = 'tiny-wiki' order by status"))
        .extracting(r -> r.getString(0) + " " + r.getLong(1))
        .containsExactly("article 106", "empty 0", "malformed 0", "other_namespace 0", "redirect 100");
    assertThat(count("select count(distinct article_id) from mechsweep.wikipedia_corpus where study = 'tiny-wiki'"))
        .isEqualTo(106);
    long words = count("select count(*) from mechsweep.wikipedia_vocabulary where study = 'tiny-wiki'");
    assertThat(words).isBetween(100L, 300L);
    assertThat(count("select count(*) from mechsweep.wikipedia_word_topics where study = 'tiny-wiki'"
        + " and rule like '%>= 0.5' and topic between -1 and 4")).isEqualTo(words);
    assertThat(count("select count(*) from mechsweep.wikipedia_topics where study = 'tiny-wiki'")).isEqualTo(5 * words);
    // The masked LM's probes bucket word pairs by the LDA assignment: words without a topic make no_topic pairs.
    assertThat(rows("select distinct bucket from mechsweep.probes where study = 'tiny-wiki' and probe = '"
        + TopicsProbes.ATTENTION + "'")).extracting(r -> r.getString(0))
        .contains("same_token", "same_topic", "different_topic", "no_topic");
    assertThat(count("select count(*) from mechsweep." + TopicsSummary.SETTINGS + " where study = 'tiny-wiki'"
        + " and setting = 'bert_mlm' and best_dev_ce > 0")).isEqualTo(1);
    String html = Files.readString(root.resolve("reports/tiny-wiki/index.html"));
    assertThat(html).contains("LDA topics").contains("Topic structure over training");

    // Lego runs start from its encoder's blocks (the vocabularies differ, so the embeddings are drawn);
    // without ':blocks' the mismatch is named and the run fails alone.
    String source = StudyPlan.of(config).runs().get(0).runId();
    String lego = LegoStudyTest.TINY.replace("tiny-lego", "tiny-wiki-lego")
        .replace("d_model: 16, d_ff: 32, d_k: 8, heads: 2, depth: [2], gamma: 0.5, tied_layers: [false, true]",
            "d_model: 16, d_ff: 32, d_k: 8, heads: 2, depth: [1], init_from: [" + source + ":blocks, " + source + "]")
        .replace("mimic: {steps: [0, 10], lr: 1.0e-2}", "mimic: {steps: 0}");
    StudyRunner.Result pretrained = runner.train(StudyConfigParser.parse(lego, "lego"), true, false, false);
    assertThat(pretrained.outcomes()).extracting(RunOutcome::status)
        .containsExactly(RunOutcome.FINISHED, RunOutcome.FAILED);
    assertThat(pretrained.outcomes().get(1).reason()).contains("cannot initialize from checkpoint " + source)
        .contains("embed.tok (model 36×16, checkpoint 304×16)");
  }

  private static List<Row> rows(String sql) {
    return spark.sql(sql).collectAsList();
  }

  private static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }
}
