package io.mechsweep.analysis.lego;

import io.mechsweep.analysis.probes.lego.LegoProbes;
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
 * The lego study's report sections: the variants table, the final accuracy per chain position
 * by variant, accuracy per position over training per variant, and the attention maps of the
 * strongest association head and the strongest local head.
 */
public final class LegoReport implements TaskReport {
  @Override
  public void write(ReportPage page) throws IOException {
    List<Row> positions = page.query("SELECT variant, eval_set, position, avg(accuracy) AS accuracy FROM ${db}"
        + LegoSummary.POSITIONS + " WHERE study = '%s' GROUP BY variant, eval_set, position"
        + " ORDER BY eval_set, variant, position");
    if (positions.isEmpty()) {
      throw new io.mechsweep.datagen.BadInputException("study '" + page.study() + "' has no evaluated runs in the tables; run `mechsweep study`"
          + " for it first");
    }
    page.heading("Variants");
    page.paragraph("Mean final accuracy over each variant's runs on the supervised chain positions (in the loss)"
        + " and the others, the last chain position above 0.6 (chance 0.5), and heads per run at the last probed"
        + " checkpoint whose association or locality score exceeds 0.5. View " + LegoSummary.VARIANTS + ".");
    page.table(page.frame("SELECT * FROM ${db}" + LegoSummary.VARIANTS + " WHERE study = '%s'"
        + " ORDER BY eval_set, variant"));

    page.heading("Accuracy per chain position");
    page.paragraph("Final accuracy at each chain position (1 = the root; mean over seeds), one line per variant."
        + " View " + LegoSummary.POSITIONS + ".");
    Map<String, Map<String, List<double[]>>> bySet = new TreeMap<>(); // eval set → variant → (position, accuracy)
    for (Row r : positions) {
      bySet.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(new double[] {r.getInt(2), r.getDouble(3)});
    }
    for (Map.Entry<String, Map<String, List<double[]>>> e : bySet.entrySet()) {
      page.image("positions/" + e.getKey() + ".png",
          Charts.lines("final accuracy per chain position on " + e.getKey(), "chain position", "accuracy",
              ReportPage.series(e.getValue())),
          "final accuracy per chain position on " + e.getKey());
    }

    page.heading("Accuracy per position over training");
    Map<String, List<Row>> curves = new TreeMap<>();
    for (Row r : page.query("SELECT p.variant, e.bucket, e.step, avg(e.value) FROM ${db}evals e JOIN (SELECT DISTINCT"
        + " study, run_id, variant FROM ${db}" + LegoSummary.POSITIONS + ") p ON p.study = e.study AND p.run_id = e.run_id"
        + " WHERE e.study = '%s' AND e.eval_set = 'test_shuffled' AND e.metric = 'accuracy' AND e.bucket LIKE 'read%'"
        + " GROUP BY p.variant, e.bucket, e.step ORDER BY p.variant, e.bucket, e.step")) {
      curves.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Row>> e : curves.entrySet()) {
      Map<String, List<double[]>> byPosition = new TreeMap<>(java.util.Comparator.comparingInt(LegoReport::position));
      for (Row r : e.getValue()) {
        byPosition.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
            .add(new double[] {r.getInt(2), ((Number) r.get(3)).doubleValue()});
      }
      Map<String, List<double[]>> named = new LinkedHashMap<>();
      byPosition.forEach((bucket, pts) -> named.put("position " + position(bucket), pts));
      page.image("curves/" + e.getKey().replaceAll("[^A-Za-z0-9]+", "_") + ".png",
          Charts.curves(e.getKey() + ": accuracy per chain position on test_shuffled (mean over seeds)", "accuracy",
              ReportPage.series(named), Map.of()),
          "accuracy per chain position over training, " + e.getKey());
    }

    page.heading("Association and local heads");
    for (String probe : List.of(LegoProbes.ASSOCIATION, LegoProbes.LOCALITY)) {
      List<Row> best = page.query("SELECT run_id, step, layer, head, value FROM ${db}probes WHERE study = '%s' AND probe = '"
          + probe + "' AND probe_set = 'test_shuffled' ORDER BY step DESC, value DESC, run_id LIMIT 1");
      if (best.isEmpty()) {
        continue;
      }
      Row b = best.get(0);
      List<Row> cells = page.query(String.format(Locale.ROOT, "SELECT bucket, value FROM ${db}probes WHERE study = '%%s'"
          + " AND run_id = '%s' AND step = %d AND probe = '%s' AND layer = %d AND head = %d",
          b.getString(0), b.getInt(1), LegoProbes.ATTENTION_MAP, b.getInt(2), b.getInt(3)));
      if (cells.isEmpty()) {
        continue;
      }
      double[][] map = ReportPage.squareMatrix(cells);
      boolean association = probe.equals(LegoProbes.ASSOCIATION);
      String title = String.format(Locale.ROOT, "%s head: layer %d head %d, run %s, step %d (%s %.2f)",
          association ? "association" : "local", b.getInt(2), b.getInt(3), b.getString(0), b.getInt(1),
          association ? "association" : "locality", b.getDouble(4));
      page.paragraph("The strongest " + title + ", on the first shuffled test sequence.");
      page.image("attention/" + probe + ".png", Charts.attentionMap(title, map), title);
    }
  }

  private static int position(String bucket) {
    return Integer.parseInt(bucket.substring("read_".length()));
  }


  @Override
  public String exampleQueries(String root, String study) {
    return "bin/mechsweep sql --root " + root + " \"select * from mechsweep." + LegoSummary.VARIANTS
        + " where study = '" + study + "'\"\nbin/mechsweep sql --root " + root + " --file analysis/sql/lego_positions.sql";
  }
}
