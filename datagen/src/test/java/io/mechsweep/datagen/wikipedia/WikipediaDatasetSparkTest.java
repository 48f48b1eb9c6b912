package io.mechsweep.datagen.wikipedia;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.topics.LdaDocument;
import io.mechsweep.datagen.topics.TopicsVocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The masked-LM dataset made from the real dump excerpt: chunk invariants, topics per word, determinism. */
class WikipediaDatasetSparkTest {
  private static final WikipediaDataset.Spec SPEC = new WikipediaDataset.Spec(
      WikipediaCorpusSparkTest.SAMPLE.toString(), new TopicModel.Spec(5, 400, 2, 0.5, 10, 3, 0.5), 34, 0.15, 0.15, 3);
  private static SparkSession spark;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void articlesBecomeChunksOfVocabularyWordsWithTheirTopicsTheSameEachTime() throws Exception {
    String dir = tmp.resolve("a").toString();
    DatasetWriter.Result written = new WikipediaDataset(SPEC).write(spark, dir);
    assertThat(written.details()).startsWith("206 pages: 106 articles kept, 100 redirects");
    WikipediaDataset.Corpus corpus = WikipediaDataset.read(spark, dir, SPEC);
    assertThat(corpus.vocabularySize()).isBetween(TopicsVocabulary.SPECIALS + 100, TopicsVocabulary.SPECIALS + 400);
    List<LdaDocument> all = new ArrayList<>(corpus.train());
    all.addAll(corpus.dev());
    all.addAll(corpus.test());
    assertThat(all).hasSize((int) written.metadata().totalRows());
    assertThat(corpus.train()).isNotEmpty();
    assertThat(corpus.dev()).isNotEmpty();
    assertThat(corpus.test()).isNotEmpty();
    for (LdaDocument d : all) {
      int[] t = d.tokens();
      assertThat(t.length).isBetween(WikipediaDataset.MIN_CHUNK_WORDS + 2, 34);
      assertThat(t[0]).isEqualTo(TopicsVocabulary.START);
      assertThat(t[t.length - 1]).isEqualTo(TopicsVocabulary.END);
      assertThat(d.topics()).hasSize(t.length - 2);
      for (int i = 1; i < t.length - 1; i++) {
        assertThat(t[i]).isBetween(TopicsVocabulary.SPECIALS, corpus.vocabularySize() - 1);
        assertThat(d.topics()[i - 1]).as("the word's LDA topic").isEqualTo(
            corpus.topicOfWord()[t[i] - TopicsVocabulary.SPECIALS]);
      }
    }
    // An article's chunks stay in one split.
    Map<Long, String> splitOfArticle = new HashMap<>();
    for (Row r : spark.read().parquet(dir).select("article_id", "split").distinct().collectAsList()) {
      assertThat(splitOfArticle.put(r.getLong(0), r.getString(1))).as("article %d", r.getLong(0)).isNull();
    }
    // Every topic's heatmap words are assigned to it.
    for (int topic = 0; topic < corpus.topWordsByTopic().size(); topic++) {
      for (int token : corpus.topWordsByTopic().get(topic)) {
        assertThat(corpus.topicOfWord()[token - TopicsVocabulary.SPECIALS]).isGreaterThanOrEqualTo(0);
      }
    }

    // Same spec, same data: a second write has the same id and the same chunks.
    String again = tmp.resolve("b").toString();
    new WikipediaDataset(SPEC).write(spark, again);
    WikipediaDataset.Corpus second = WikipediaDataset.read(spark, again, SPEC);
    assertThat(DatasetMetadata.read(again, spark.sparkContext().hadoopConfiguration()).orElseThrow().datasetId())
        .isEqualTo(written.metadata().datasetId());
    assertThat(second.topicOfWord()).isEqualTo(corpus.topicOfWord());
    assertThat(second.train()).hasSameSizeAs(corpus.train());
    for (int i = 0; i < corpus.train().size(); i++) {
      assertThat(second.train().get(i).tokens()).isEqualTo(corpus.train().get(i).tokens());
    }
  }
}
