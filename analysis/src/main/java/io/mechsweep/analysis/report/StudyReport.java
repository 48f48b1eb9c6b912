package io.mechsweep.analysis.report;

import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.training.checkpoint.HadoopFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;

/**
 * A study's static HTML report at {@code <root>/reports/<study>/index.html}: the task's sections
 * (anchor: phase diagram, complexity, attention flow, curves; varassign: accuracy per pool and
 * the phases) as PNGs next to the page and tables of the numbers behind them. Built only from the
 * tables and views, so it can be regenerated at any time ({@code mechsweep report <study>}).
 */
public final class StudyReport {
  private final Views views;
  private final HadoopFiles files;
  private final String study;
  private final String root;
  private final TaskReport task;
  private final Path dir;

  public StudyReport(Views views, HadoopFiles files, String root, String study, TaskReport task) {
    if (!study.matches(Tables.STUDY_NAME)) {
      throw new IllegalArgumentException("study name '" + study + "': allowed are 1–64 letters, digits, '-' or '_'");
    }
    this.views = views;
    this.files = files;
    this.study = study;
    this.root = root;
    this.task = task;
    this.dir = new Path(new Path(root, "reports"), study);
  }

  /** Writes the pictures and the page; returns the page's path. */
  public Path write() throws IOException {
    files.fs(dir).delete(dir, true); // a report is derived: replace the old one whole
    Html html = new Html("mechsweep — study " + study);
    html.heading(1, "Study " + study);
    html.paragraph("Generated from the tables under " + root + "/tables by `mechsweep report "
        + study + "`. Every number here is a row of the mechsweep.* tables and views; the queries are in"
        + " analysis/sql/.");
    task.write(new ReportPage(views, files, dir, study, html));
    html.heading(2, "Query the same numbers");
    html.code(task.exampleQueries(root, study));
    Path index = new Path(dir, "index.html");
    files.writeAtomically(index, html.render().getBytes(StandardCharsets.UTF_8));
    return index;
  }
}
