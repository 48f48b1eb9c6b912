package io.mechsweep.analysis.topics;

import io.mechsweep.analysis.tables.Views;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** The printed result of a topics (or Wikipedia) study, read from its settings view. */
public final class TopicsSummary {
  public static final String BUCKETS = "topics_buckets";
  public static final String SETTINGS = "topics_settings";
  /** In registration order: settings reads buckets. */
  public static final List<String> VIEWS = List.of(BUCKETS, SETTINGS);

  private TopicsSummary() {}

  public static String format(Views views, String study) {
    List<Row> rows = views.sql("SELECT setting, runs, best_dev_ce, best_step, final_step, attention_same_token,"
        + " attention_same_topic, attention_different_topic, value_same_token, value_same_topic, value_different_topic,"
        + " embedding_cosine_same_topic, embedding_cosine_different_topic, wv_norm, kq_norm FROM ${db}" + SETTINGS
        + " WHERE study = '" + study + "' ORDER BY setting").collectAsList();
    StringBuilder out = new StringBuilder();
    out.append("Study ").append(study).append(": masked LM per setting (mean over its runs), probes at the last")
        .append(" checkpoint\n");
    out.append(String.format(Locale.ROOT, "%-20s %-4s %-11s %-9s %-10s | %-28s | %-30s | %-17s | %-8s %-8s%n",
        "setting", "runs", "best dev CE", "at step", "last step", "attention tok/topic/other (1=uniform)",
        "value products tok/topic/other (centred)", "emb cos topic/other", "‖W_V‖", "‖W_QW_Kᵀ‖"));
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, "%-20s %-4d %-11s %-9s %-10s | %-37s | %-40s | %-19s | %-8s %-8s%n",
          r.getString(0), r.getLong(1), num(r, 2, "%.4f"), num(r, 3, "%.0f"), num(r, 4, "%.0f"),
          num(r, 5, "%.3f") + " / " + num(r, 6, "%.3f") + " / " + num(r, 7, "%.3f"),
          num(r, 8, "%.2f") + " / " + num(r, 9, "%.2f") + " / " + num(r, 10, "%.2f"),
          num(r, 11, "%.3f") + " / " + num(r, 12, "%.3f"), num(r, 13, "%.2f"), num(r, 14, "%.2f")));
    }
    return out.toString();
  }

  private static String num(Row r, int i, String format) {
    return r.isNullAt(i) ? "-" : String.format(Locale.ROOT, format, ((Number) r.get(i)).doubleValue());
  }
}
