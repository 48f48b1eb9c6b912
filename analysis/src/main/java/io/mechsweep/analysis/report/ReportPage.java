package io.mechsweep.analysis.report;

import io.mechsweep.analysis.tables.Views;
import io.mechsweep.training.checkpoint.HadoopFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A report page being written: its HTML, the views to query with {@code '%s'} standing for the
 * study's name, and the directory its pictures go to.
 */
public final class ReportPage {
  private final Views views;
  private final HadoopFiles files;
  private final Path dir;
  private final String study;
  final Html html;

  ReportPage(Views views, HadoopFiles files, Path dir, String study, Html html) {
    this.views = views;
    this.files = files;
    this.dir = dir;
    this.study = study;
    this.html = html;
  }

  public String study() {
    return study;
  }

  public void heading(String text) {
    html.heading(2, text);
  }

  public void paragraph(String text) {
    html.paragraph(text);
  }

  public void table(Dataset<Row> rows) {
    html.table(rows);
  }

  /** A query over the views with {@code '%s'} standing for this study's name. */
  public Dataset<Row> frame(String template) {
    return views.sql(template.replace("'%s'", "'" + study + "'"));
  }

  public List<Row> query(String template) {
    return frame(template).collectAsList();
  }

  /**
   * One query for every run, grouped by its first column (run_id) in query order: a report
   * of many runs costs one Spark job per picture kind, not one per run.
   */
  public Map<String, List<Row>> byRun(String template) {
    Map<String, List<Row>> out = new HashMap<>();
    for (Row r : query(template)) {
      out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /** Writes a picture next to the page and shows it. */
  public void image(String name, byte[] png, String alt) throws IOException {
    files.writeAtomically(new Path(dir, name), png);
    html.image(name, alt);
  }

  /** Named (x, y) points as the {@code [xs, ys]} series Charts draws, in the map's order. */
  public static Map<String, double[][]> series(Map<String, List<double[]>> points) {
    Map<String, double[][]> out = new java.util.LinkedHashMap<>();
    points.forEach((name, pts) -> out.put(name, new double[][] {
        pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()}));
    return out;
  }

  /** Rows of (bucket {@code "<row>,<col>"}, value) of a square matrix, as the matrix. */
  public static double[][] squareMatrix(List<Row> cells) {
    int n = (int) Math.round(Math.sqrt(cells.size()));
    double[][] m = new double[n][n];
    for (Row c : cells) {
      String[] rc = c.getString(0).split(",");
      m[Integer.parseInt(rc[0])][Integer.parseInt(rc[1])] = c.getDouble(1);
    }
    return m;
  }

  /** One column of query rows as doubles. */
  public static double[] column(List<Row> rows, int i) {
    return rows.stream().mapToDouble(r -> ((Number) r.get(i)).doubleValue()).toArray();
  }
}
