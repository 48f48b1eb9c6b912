package io.mechsweep.datagen.wikipedia;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corpus job on the real dump excerpt in ../shared/data/wikipedia and on hand-made broken pages. */
class WikipediaCorpusSparkTest {
  static final Path SAMPLE = Path.of(System.getProperty("mechsweep.shared", "../../shared"),
      "data", "wikipedia", "enwiki-sample-pages-articles.xml.bz2");
  private static SparkSession spark;
  private static WikipediaCorpus.Result sample;
  private static Map<String, List<String>> tokensByTitle;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    sample = WikipediaCorpus.build(spark, SAMPLE.toString());
    System.out.println("shared sample: " + sample.counts().describe());
    tokensByTitle = new HashMap<>();
    for (Row r : sample.articles().collectAsList()) {
      tokensByTitle.put(r.getString(1), r.getList(2));
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theSampleKeepsItsArticlesAndDropsItsRedirects() {
    WikipediaCorpus.Counts c = sample.counts();
    assertThat(c.pages()).isEqualTo(206);
    assertThat(c.of(WikipediaCorpus.REDIRECT)).isEqualTo(100);
    assertThat(c.of(WikipediaCorpus.ARTICLE) + c.of(WikipediaCorpus.MALFORMED) + c.of(WikipediaCorpus.EMPTY)
        + c.of(WikipediaCorpus.OTHER_NAMESPACE)).isEqualTo(106);
    assertThat(c.of(WikipediaCorpus.ARTICLE)).as(c.describe()).isEqualTo(106); // every non-redirect parses and strips
    assertThat(tokensByTitle).containsKeys("Anarchism", "Autism", "Albedo");
    assertThat(tokensByTitle).doesNotContainKey("AccessibleComputing"); // a redirect
  }

  @Test
  void markupIsStrippedAndTheProseRemains() {
    List<String> anarchism = tokensByTitle.get("Anarchism");
    // "Anarchism is a political philosophy that advocates self-governed societies based on voluntary
    // institutions." — stop words gone, "self-governed" split at the hyphen.
    assertThat(String.join(" ", anarchism.subList(0, 9)))
        .isEqualTo("anarchism political philosophy advocates self governed societies based voluntary");
    Set<String> vocabulary = new HashSet<>();
    tokensByTitle.values().forEach(vocabulary::addAll);
    // Markup that must not survive as words: template names and parameters, reference and table
    // syntax, sizes in HTML attributes (style="width:350px"), magic words, entities, HTML. ("cite",
    // "thumb", "category", "url" and "isbn" do occur in the visible text: "rule of thumb".)
    assertThat(vocabulary).doesNotContain("infobox", "ref", "reflist", "px", "wikitable", "colspan", "defaultsort",
        "nbsp", "br", "accessdate", "tright", "thumbinner", "scrollbox");
    assertThat(vocabulary).contains("philosophy", "autism", "albedo", "sunlight");
  }

  @Test
  void aSplitDumpGivesTheSameCorpus() {
    SparkSession small = spark.newSession();
    small.conf().set("spark.sql.files.maxPartitionBytes", String.valueOf(256 * 1024));
    WikipediaCorpus.Result split = WikipediaCorpus.build(small, SAMPLE.toString());
    assertThat(split.articles().rdd().getNumPartitions()).as("the bz2 file was read in several splits").isGreaterThan(1);
    assertThat(split.counts().byStatus()).isEqualTo(sample.counts().byStatus());
    assertThat(split.articles().orderBy("id").collectAsList())
        .containsExactlyElementsOf(sample.articles().orderBy("id").collectAsList());
  }

  @Test
  void malformedAndEmptyPagesAreSkippedAndCountedNeverFatal() throws Exception {
    Path dump = tmp.resolve("broken.xml");
    Files.writeString(dump, """
        <mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">
          <page><title>Good</title><ns>0</ns><id>1</id>
            <revision><text xml:space="preserve">'''Good''' is a [[word|term]] about [[Moral philosophy]].</text></revision></page>
          <page><title>Unclosed</title><ns>0</ns><id>2</id>
            <revision><text xml:space="preserve">{{Infobox person | name = Nobody and the rest of the page</text></revision></page>
          <page><title>Broken</title><ns>0</ns><id>3</id>
            <revision><text xml:space="preserve">text <b>bold</i> text</text></revision></page>
          <page><title>Empty</title><ns>0</ns><id>4</id>
            <revision><text xml:space="preserve"></text></revision></page>
          <page><title>Talk:Good</title><ns>1</ns><id>5</id>
            <revision><text xml:space="preserve">A talk page.</text></revision></page>
          <page><title>Only templates</title><ns>0</ns><id>6</id>
            <revision><text xml:space="preserve">{{Navbox|list=a}}</text></revision></page>
        </mediawiki>
        """);
    WikipediaCorpus.Result r = WikipediaCorpus.build(spark, dump.toString());
    WikipediaCorpus.Counts c = r.counts();
    assertThat(c.pages()).isEqualTo(6);
    assertThat(c.of(WikipediaCorpus.ARTICLE)).as(c.describe()).isEqualTo(1);
    assertThat(c.of(WikipediaCorpus.MALFORMED)).isEqualTo(2);
    assertThat(c.of(WikipediaCorpus.EMPTY)).isEqualTo(2);
    assertThat(c.of(WikipediaCorpus.OTHER_NAMESPACE)).isEqualTo(1);
    assertThat(c.malformedExamples()).anySatisfy(e -> assertThat(e).contains("'Unclosed'").contains("never closed"))
        .anySatisfy(e -> assertThat(e).contains("'Broken'").contains("XML does not parse"));
    Row good = r.articles().first();
    assertThat(good.getList(2)).containsExactly("good", "term", "moral", "philosophy");
  }

  /** Three topics with disjoint words, each document about one: LDA and the rule recover them. */
  @Test
  void theTopicStageRecoversAKnownTopicStructure() {
    String[][] groups = {
      {"apple", "banana", "cherry", "grape", "melon", "peach"},
      {"engine", "wheel", "brake", "gear", "piston", "clutch"},
      {"violin", "cello", "flute", "oboe", "harp", "trumpet"}};
    java.util.Random random = new java.util.Random(5);
    List<Row> docs = new ArrayList<>();
    for (int d = 0; d < 150; d++) {
      String[] g = groups[d % 3];
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        tokens.add(g[random.nextInt(g.length)]);
      }
      docs.add(RowFactory.create((long) d, "doc" + d, tokens));
    }
    StructType schema = new StructType().add("id", DataTypes.LongType).add("title", DataTypes.StringType)
        .add("tokens", DataTypes.createArrayType(DataTypes.StringType));
    TopicModel.Spec spec = new TopicModel.Spec(3, 100, 2, 0.9, 60, 11, 0.5);
    var articles = spark.createDataFrame(docs, schema);
    TopicModel.Fitted fit = TopicModel.fit(articles, TopicModel.vocabulary(articles, docs.size(), spec), spec);
    assertThat(fit.vocabulary()).hasSize(18);
    Map<String, Integer> topicOf = new HashMap<>();
    fit.assignment().forEach(r -> topicOf.put(r.getString(0), r.getInt(1)));
    Set<Integer> seen = new HashSet<>();
    for (String[] g : groups) {
      Set<Integer> topics = new HashSet<>();
      for (String w : g) {
        topics.add(topicOf.get(w));
      }
      assertThat(topics).as("all of %s in one topic", String.join(",", g)).hasSize(1).doesNotContain(-1);
      seen.addAll(topics);
    }
    assertThat(seen).as("three different topics").hasSize(3);
    assertThat(fit.topics()).hasSize(18 * 3);
    assertThat(spec.rule()).contains(">= 0.5");
  }
}
