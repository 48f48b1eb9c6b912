package io.mechsweep.analysis.topics;

import io.mechsweep.analysis.probes.topics.TopicsProbes;
import io.mechsweep.analysis.report.Charts;
import io.mechsweep.analysis.report.ReportPage;
import io.mechsweep.analysis.report.TaskReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The topics study's report sections: the settings table, per setting the bucket values over
 * training (attention, centred value products, embedding cosines, the two norms) and the
 * centred value-product matrix at the last checkpoint as a heatmap.
 */
public final class TopicsReport implements TaskReport {
  /** The probes drawn over steps, with the bucket values each shows. */
  private static final Map<String, String> CURVES = new LinkedHashMap<>();

  static {
    CURVES.put(TopicsProbes.ATTENTION, "attention per pair (1 = uniform), layer 0, mean over heads and runs");
    CURVES.put(TopicsProbes.VALUE_PRODUCT_CENTRED, "centred value products (E·W_V rows), mean over runs");
    CURVES.put(TopicsProbes.EMBEDDING_COSINE, "embedding cosine, mean over runs");
  }

  @Override
  public void write(ReportPage page) throws IOException {
    List<Row> settings = page.query("SELECT setting FROM ${db}" + TopicsSummary.SETTINGS + " WHERE study = '%s'"
        + " ORDER BY setting");
    if (settings.isEmpty()) {
      throw new io.mechsweep.datagen.BadInputException("study '" + page.study() + "' has no probed runs in the tables; run `mechsweep study`"
          + " for it first");
    }
    page.heading("Settings");
    page.paragraph("Per setting, over its runs: the lowest dev cross-entropy of the masked LM and its step, the last"
        + " step trained (early stopping), and at the last probed checkpoint attention per pair bucket on test"
        + " documents cut to their first " + TopicsProbes.CUT + " tokens (each weight × the number of positions, so"
        + " uniform attention reads 1), the value products of E·W_V's rows centred over the outputs (W_V's rows for"
        + " one-hot embeddings: the paper's W_V column products), embedding cosines and the norms. View "
        + TopicsSummary.SETTINGS + ".");
    page.table(page.frame("SELECT * FROM ${db}" + TopicsSummary.SETTINGS + " WHERE study = '%s' ORDER BY setting"));

    page.heading("Topic structure over training");
    for (Row s : settings) {
      String setting = s.getString(0);
      for (Map.Entry<String, String> curve : CURVES.entrySet()) {
        List<Row> points = page.query("SELECT bucket, step, avg(value) FROM ${db}" + TopicsSummary.BUCKETS
            + " WHERE study = '%s' AND setting = '" + setting + "' AND probe = '" + curve.getKey() + "'"
            + " AND coalesce(layer, 0) = 0 GROUP BY bucket, step ORDER BY bucket, step");
        if (!points.isEmpty()) {
          page.image("curves/" + setting + "-" + curve.getKey() + ".png",
              Charts.curves(setting + ": " + curve.getValue(), curve.getKey(), series(points), Map.of()),
              setting + ": " + curve.getValue());
        }
      }
      List<Row> norms = page.query("SELECT probe, step, avg(value) FROM ${db}" + TopicsSummary.BUCKETS
          + " WHERE study = '%s' AND setting = '" + setting + "' AND probe IN ('wv_norm', 'kq_norm') AND layer = 0"
          + " GROUP BY probe, step ORDER BY probe, step");
      page.image("curves/" + setting + "-norms.png",
          Charts.curves(setting + ": ‖W_V‖ and ‖W_Q W_Kᵀ‖ (Frobenius), mean over runs", "norm", series(norms), Map.of()),
          setting + ": norms over training");
    }

    page.heading("Value products at the last checkpoint");
    page.paragraph("The centred inner products between the values two words write (E·W_V's rows, mean over outputs"
        + " removed), words grouped by topic: blocks on the diagonal are topics. First run of each setting.");
    for (Row s : settings) {
      String setting = s.getString(0);
      List<Row> last = page.query("SELECT run_id, max(step) FROM ${db}" + TopicsSummary.BUCKETS + " WHERE study = '%s'"
          + " AND setting = '" + setting + "' GROUP BY run_id ORDER BY run_id LIMIT 1");
      if (last.isEmpty()) {
        continue;
      }
      List<Row> cells = page.query(String.format(Locale.ROOT, "SELECT bucket, value FROM ${db}probes WHERE study = '%%s'"
          + " AND run_id = '%s' AND step = %d AND probe = '%s'", last.get(0).getString(0), last.get(0).getInt(1),
          TopicsProbes.VALUE_MATRIX));
      if (cells.isEmpty()) {
        continue;
      }
      double[][] matrix = ReportPage.squareMatrix(cells);
      String title = String.format(Locale.ROOT, "%s: centred value products, run %s, step %d", setting,
          last.get(0).getString(0), last.get(0).getInt(1));
      page.image("values/" + setting + ".png", Charts.heatmap(title, matrix, "word (by topic)", "word (by topic)"), title);
    }
  }

  /** Rows of (series name, step, value) as the {@code [steps, values]} series Charts draws. */
  private static Map<String, double[][]> series(List<Row> rows) {
    Map<String, List<double[]>> points = new TreeMap<>();
    for (Row r : rows) {
      points.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(new double[] {r.getInt(1), ((Number) r.get(2)).doubleValue()});
    }
    return ReportPage.series(points);
  }

  @Override
  public String exampleQueries(String root, String study) {
    return "bin/mechsweep sql --root " + root + " \"select * from mechsweep." + TopicsSummary.SETTINGS
        + " where study = '" + study + "'\"\nbin/mechsweep sql --root " + root + " \"select setting, step, bucket,"
        + " avg(value) from mechsweep." + TopicsSummary.BUCKETS + " where study = '" + study
        + "' and probe = 'topic_attention' group by 1, 2, 3 order by 1, 2, 3\"";
  }
}
