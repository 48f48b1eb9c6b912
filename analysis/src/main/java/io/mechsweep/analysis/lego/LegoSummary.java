package io.mechsweep.analysis.lego;

import io.mechsweep.analysis.tables.Views;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** The printed result of a lego study, read from its two views. */
public final class LegoSummary {
  public static final String POSITIONS = "lego_positions";
  public static final String VARIANTS = "lego_variants";
  /** In registration order: variants reads positions. */
  public static final List<String> VIEWS = List.of(POSITIONS, VARIANTS);

  private LegoSummary() {}

  public static String format(Views views, String study) {
    List<Row> variants = views.sql("SELECT variant, eval_set, runs, supervised_accuracy, unsupervised_accuracy,"
        + " last_position_above_06, association_heads, local_heads, beyond_training_accuracy FROM ${db}" + VARIANTS
        + " WHERE study = '"
        + study + "' ORDER BY eval_set, variant").collectAsList();
    List<Row> positions = views.sql("SELECT variant, eval_set, position, avg(accuracy) FROM ${db}" + POSITIONS
        + " WHERE study = '" + study + "' GROUP BY variant, eval_set, position ORDER BY eval_set, variant, position")
        .collectAsList();
    StringBuilder out = new StringBuilder();
    out.append("Study ").append(study).append(": final accuracy per variant (mean over its runs; chance 0.5)\n");
    out.append(String.format(Locale.ROOT, "%-34s %-17s %-5s %-11s %-13s %-9s %-12s %-6s %s%n", "variant",
        "eval set", "runs", "supervised", "unsupervised", "last>0.6", "assoc heads", "local", "beyond training"));
    for (Row r : variants) {
      out.append(String.format(Locale.ROOT, "%-34s %-17s %-5d %-11s %-13s %-9s %-12s %-6s %s%n", r.getString(0),
          r.getString(1), r.getLong(2), num(r, 3), num(r, 4), r.isNullAt(5) ? "-" : r.get(5), num(r, 6), num(r, 7),
          num(r, 8)));
    }
    out.append("\nAccuracy per chain position (1 = the root)\n");
    String current = null;
    for (Row r : positions) {
      String key = String.format(Locale.ROOT, "%-34s %-17s", r.getString(0), r.getString(1));
      if (!key.equals(current)) {
        out.append(current == null ? "" : "\n").append(key);
        current = key;
      }
      out.append(String.format(Locale.ROOT, " %.2f", r.getDouble(3)));
    }
    return out.append('\n').toString();
  }

  private static String num(Row r, int i) {
    return r.isNullAt(i) ? "-" : String.format(Locale.ROOT, "%.3f", ((Number) r.get(i)).doubleValue());
  }
}
