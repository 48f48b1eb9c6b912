package io.mechsweep.datagen.wikipedia;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A Wikipedia dump as a corpus of tokenized articles: namespace-0 pages that are not redirects,
 * their markup stripped ({@link MarkupStripper}), lower-cased and split into words of letters
 * (Spark MLlib's {@link RegexTokenizer}), English stop words removed ({@link StopWordsRemover}).
 * Every page gets a status, so the job says what it kept and what it skipped, and why: a page
 * whose markup or XML is broken, or whose text is empty, is skipped and counted, never fatal.
 */
public final class WikipediaCorpus {
  public static final String ARTICLE = "article";
  public static final String REDIRECT = "redirect";
  public static final String OTHER_NAMESPACE = "other_namespace";
  public static final String MALFORMED = "malformed";
  public static final String EMPTY = "empty";
  /** Every status a page can get, in the order the job reports them. */
  public static final List<String> STATUSES = List.of(ARTICLE, REDIRECT, OTHER_NAMESPACE, MALFORMED, EMPTY);

  /** Words shorter than this are dropped (single letters carry no topic). */
  public static final int MIN_TOKEN_LENGTH = 2;

  private static final StructType STRIPPED =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("title", DataTypes.StringType)
          .add("status", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType)
          .add("text", DataTypes.StringType);

  /**
   * What the job did with the pages.
   *
   * @param byStatus pages per status ({@link #ARTICLE}, {@link #REDIRECT}, …)
   * @param malformedExamples up to ten skipped pages with the reason, for the console
   */
  public record Counts(Map<String, Long> byStatus, List<String> malformedExamples) {
    public long of(String status) {
      return byStatus.getOrDefault(status, 0L);
    }

    public long pages() {
      return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    public String describe() {
      return String.format("%,d pages: %,d articles kept, %,d redirects and %,d pages of other namespaces dropped,"
          + " %,d malformed and %,d empty pages skipped", pages(), of(ARTICLE), of(REDIRECT), of(OTHER_NAMESPACE),
          of(MALFORMED), of(EMPTY));
    }
  }

  /** The kept articles ({@code id, title, tokens}) and the page counts. */
  public record Result(Dataset<Row> articles, Counts counts) {}

  private WikipediaCorpus() {}

  public static Result build(SparkSession spark, String input) {
    Dataset<Row> pages = WikiDump.read(spark, input);
    Dataset<Row> stripped = pages.mapPartitions(strip(), Encoders.row(STRIPPED)).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> words = new RegexTokenizer().setInputCol("text").setOutputCol("words").setGaps(false)
        .setPattern("\\p{L}+").setToLowercase(true).setMinTokenLength(MIN_TOKEN_LENGTH)
        .transform(stripped.where(functions.col("status").equalTo(ARTICLE)));
    Dataset<Row> tokens = new StopWordsRemover().setInputCol("words").setOutputCol("tokens").transform(words);
    // An article whose prose is gone after stripping (a list made of templates, say) counts as empty.
    Dataset<Row> statuses = stripped.select("id", "status", "reason", "title").join(
            tokens.where(functions.size(functions.col("tokens")).equalTo(0)).select("id").withColumn("no_words",
                functions.lit(true)), "id", "left")
        .withColumn("status", functions.when(functions.col("no_words"), functions.lit(EMPTY))
            .otherwise(functions.col("status")));
    Map<String, Long> byStatus = new TreeMap<>();
    for (Row r : statuses.groupBy("status").count().collectAsList()) {
      byStatus.put(r.getString(0), r.getLong(1));
    }
    List<String> examples = new ArrayList<>();
    for (Row r : statuses.where(functions.col("status").equalTo(MALFORMED)).orderBy("id").limit(10)
        .select("id", "title", "reason").collectAsList()) {
      examples.add("page " + r.get(0) + " '" + r.getString(1) + "': " + r.getString(2));
    }
    Dataset<Row> articles = tokens.where(functions.size(functions.col("tokens")).gt(0)).select("id", "title", "tokens");
    return new Result(articles, new Counts(byStatus, examples));
  }

  /** Classifies each page and strips the articles' markup, one parser per task. */
  private static MapPartitionsFunction<Row, Row> strip() {
    return rows -> {
      MarkupStripper stripper = new MarkupStripper();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          return classify(rows.next(), stripper);
        }
      };
    };
  }

  static Row classify(Row page, MarkupStripper stripper) {
    Long id = page.isNullAt(0) ? null : page.getLong(0);
    String title = page.getString(1);
    String corrupt = page.getString(5);
    if (corrupt != null) {
      return RowFactory.create(id, title, MALFORMED, "the page's XML does not parse: " + corrupt, null);
    }
    if (!page.isNullAt(3)) {
      return RowFactory.create(id, title, REDIRECT, null, null);
    }
    if (page.isNullAt(2) || page.getLong(2) != 0) {
      return RowFactory.create(id, title, OTHER_NAMESPACE, null, null);
    }
    String wikitext = page.getString(4);
    if (wikitext == null || wikitext.isBlank()) {
      return RowFactory.create(id, title, EMPTY, null, null);
    }
    String unbalanced = unbalanced(wikitext);
    if (unbalanced != null) {
      return RowFactory.create(id, title, MALFORMED, unbalanced, null);
    }
    try {
      return RowFactory.create(id, title, ARTICLE, null, stripper.strip(title, wikitext));
    } catch (Exception | StackOverflowError e) { // the parser's own limits: skip the page, say why
      return RowFactory.create(id, title, MALFORMED, "the markup parser failed: " + e, null);
    }
  }

  /**
   * Why the markup is broken beyond what a parser should guess at: a template opened and never
   * closed swallows the rest of the page. Null when the braces balance.
   */
  static String unbalanced(String wikitext) {
    int templates = 0;
    for (int i = 0; i + 1 < wikitext.length(); i++) {
      if (wikitext.charAt(i) == '{' && wikitext.charAt(i + 1) == '{') {
        templates++;
        i++;
      } else if (wikitext.charAt(i) == '}' && wikitext.charAt(i + 1) == '}') {
        templates--;
        i++;
      }
    }
    return templates > 0 ? templates + " template(s) opened with '{{' and never closed" : null;
  }
}
