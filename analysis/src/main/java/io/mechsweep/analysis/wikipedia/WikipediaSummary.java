package io.mechsweep.analysis.wikipedia;

import io.mechsweep.analysis.tables.Views;
import io.mechsweep.analysis.topics.TopicsSummary;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** The printed result of a Wikipedia study: the pages the job kept, the topics, then the masked LM's probes. */
public final class WikipediaSummary {
  /** Words shown per topic. */
  static final int TOP_WORDS = 8;

  private WikipediaSummary() {}

  public static String format(Views views, String study) {
    StringBuilder out = new StringBuilder();
    String filter = " WHERE study = '" + study + "' AND dataset_id IN (SELECT dataset_id FROM ${db}runs WHERE study = '"
        + study + "' AND current_config)";
    List<Row> pages = views.sql("SELECT status, pages FROM ${db}" + WikipediaTables.PAGES.name() + filter
        + " ORDER BY status").collectAsList();
    out.append("Study ").append(study).append(": Wikipedia pages by status:");
    pages.forEach(r -> out.append(' ').append(r.getString(0)).append(' ').append(r.getLong(1)));
    List<Row> words = views.sql("SELECT count(*), count_if(topic >= 0), max(rule), max(log_perplexity) FROM ${db}"
        + WikipediaTables.WORD_TOPICS.name() + filter).collectAsList();
    if (!words.isEmpty() && words.get(0).getLong(0) > 0) {
      Row w = words.get(0);
      out.append(String.format(Locale.ROOT, "%nvocabulary %d words, %d assigned to a topic (%s); LDA log perplexity"
          + " %.3f%n", w.getLong(0), w.getLong(1), w.getString(2), w.getDouble(3)));
    }
    for (Row t : topWords(views, study, filter)) {
      out.append(String.format(Locale.ROOT, "topic %2d: %s%n", t.getInt(0), String.join(" ", t.<String>getList(1))));
    }
    return out.append('\n').append(TopicsSummary.format(views, study)).toString();
  }

  /** Per topic, its {@value #TOP_WORDS} heaviest words. */
  static List<Row> topWords(Views views, String study, String filter) {
    return views.sql("SELECT topic, slice(transform(array_sort(collect_list(struct(-weight AS w, word AS word))),"
        + " x -> x.word), 1, " + TOP_WORDS + ") FROM ${db}" + WikipediaTables.TOPICS.name() + filter
        + " GROUP BY topic ORDER BY topic").collectAsList();
  }
}
