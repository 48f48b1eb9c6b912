package io.mechsweep.analysis.wikipedia;

import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.datagen.wikipedia.WikipediaDataset;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Wikipedia study's own tables: what its dataset's corpus job and topic model produced, one
 * set of rows per dataset id (docs/tables.md). Their columns are the dataset's side tables' after
 * {@code dataset_id}.
 */
public final class WikipediaTables {
  /** Table {@code wikipedia_<name>} holds the dataset's side table {@code <name>} ({@link WikipediaDataset#sidePath}). */
  public static final String PREFIX = "wikipedia_";

  /** Pages of the dump per status: article (kept), redirect, other_namespace, malformed, empty. */
  public static final Tables.Table PAGES = table(PREFIX + "pages", WikipediaDataset.PAGES);
  /** Every kept article: page id, title, split and its words (lower case, stop words removed). */
  public static final Tables.Table CORPUS = table(PREFIX + "corpus", WikipediaDataset.CORPUS);
  /** The vocabulary the model reads: token id and word. */
  public static final Tables.Table VOCABULARY = table(PREFIX + "vocabulary", WikipediaDataset.VOCABULARY);
  /** The fitted LDA: each topic's distribution over the vocabulary. */
  public static final Tables.Table TOPICS = table(PREFIX + "topics", WikipediaDataset.TOPICS);
  /** Each word's topic (−1 for none) with its share, the rule and the fit's log perplexity. */
  public static final Tables.Table WORD_TOPICS = table(PREFIX + "word_topics", WikipediaDataset.WORD_TOPICS);

  public static final List<Tables.Table> ALL = List.of(PAGES, CORPUS, VOCABULARY, TOPICS, WORD_TOPICS);

  private WikipediaTables() {}

  private static Tables.Table table(String name, StructType columns) {
    StructType schema = new StructType().add("dataset_id", DataTypes.StringType, false);
    for (StructField f : columns.fields()) {
      schema = schema.add(f);
    }
    return new Tables.Table(name, schema);
  }
}
