package io.mechsweep.analysis.varassign;

import io.mechsweep.analysis.probes.varassign.VarAssignProbes;
import io.mechsweep.analysis.report.Charts;
import io.mechsweep.analysis.report.ReportPage;
import io.mechsweep.analysis.report.TaskReport;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The varassign study's report sections: the phases per run, accuracy per pool against steps and
 * the progress measures (probes) against steps, both with the phase steps marked.
 */
public final class VarAssignReport implements TaskReport {
  /** Runs with their own pictures, at most this many. */
  static final int MAX_RUNS = 32;
  /** The probes drawn as progress measures over training. */
  static final List<String> PROGRESS_MEASURES = List.of(VarAssignProbes.ADDITION_MODULE,
      VarAssignProbes.PREV_TOKEN_BINDING, VarAssignProbes.EQ_ATTENTION_OPERANDS, VarAssignProbes.EQ_ATTENTION_VALUES,
      VarAssignProbes.SAME_MLP_COSINE);
  private static final List<String> PHASES =
      List.of("addition_step", "generalization_step", "assignment_step", "refinement_step");

  @Override
  public void write(ReportPage page) throws IOException {
    List<Row> runs = page.query("SELECT * FROM ${db}" + VarAssignSummary.PHASES + " WHERE study = '%s'"
        + " ORDER BY seed, run_id");
    if (runs.isEmpty()) {
      throw new io.mechsweep.datagen.BadInputException("study '" + page.study() + "' has no evaluated runs in the tables; run `mechsweep study`"
          + " for it first");
    }
    page.heading("Phases");
    page.paragraph("First evaluation step at which: train_0var reached 0.9 (addition); a held-out variable pool"
        + " reached 0.5 (first generalization); every training-distribution pool reached 0.9 (assignment);"
        + " both_restricted_2var, the hard pool, reached 0.9 (refinement). The paper's single seed: about 4.5k,"
        + " 5.3k-5.4k, 6k and 14k-16k steps. View " + VarAssignSummary.PHASES + ".");
    page.table(page.frame("SELECT run_id, seed, gamma, init_std, peak_lr, weight_decay, status, final_step,"
        + " addition_step, generalization_step, assignment_step, refinement_step, min_train_final_accuracy,"
        + " min_heldout_final_accuracy, hard_final_accuracy FROM ${db}" + VarAssignSummary.PHASES
        + " WHERE study = '%s' ORDER BY seed, run_id"));
    page.heading("Accuracy per pool");
    page.paragraph("Final accuracy and the first steps at 0.5 and 0.9 per run and pool (view "
        + VarAssignSummary.POOLS + ").");
    page.table(page.frame("SELECT run_id, seed, pool, final_accuracy, first_step_050, first_step_090 FROM ${db}"
        + VarAssignSummary.POOLS + " WHERE study = '%s' ORDER BY seed, run_id, pool"));
    Map<String, List<Row>> accuracy = page.byRun("SELECT e.run_id, e.eval_set, e.step, e.value FROM ${db}evals e"
        + " WHERE e.study = '%s' AND e.metric = 'accuracy' AND e.bucket = 'all' ORDER BY e.run_id, e.eval_set, e.step");
    Map<String, List<Row>> probes = page.byRun("SELECT run_id, probe, coalesce(bucket, 'all'), step, avg(value)"
        + " FROM ${db}probes WHERE study = '%s' AND probe IN ('" + String.join("', '", PROGRESS_MEASURES)
        + "') GROUP BY run_id, probe, bucket, step ORDER BY run_id, probe, bucket, step");
    for (Row run : runs.subList(0, Math.min(MAX_RUNS, runs.size()))) {
      String runId = run.getAs("run_id");
      Map<String, Integer> marks = new LinkedHashMap<>();
      for (String phase : PHASES) {
        Integer step = run.getAs(phase);
        if (step != null) {
          marks.put(phase.replace("_step", ""), step);
        }
      }
      String title = String.format(Locale.ROOT, "%s (seed %d)", runId, run.<Long>getAs("seed"));
      page.image("accuracy/" + runId + ".png",
          Charts.curves(title + ": accuracy per pool", "accuracy", series(accuracy.get(runId)), marks),
          "accuracy per pool of run " + runId);
      page.image("progress/" + runId + ".png",
          Charts.curves(title + ": progress measures (mean over probe sets)", "value", series(probes.get(runId)), marks),
          "progress measures of run " + runId);
    }
  }

  /** Rows (run_id, name, [bucket,] step, value) → one series per name (and bucket unless "all"). */
  private static Map<String, double[][]> series(List<Row> rows) {
    Map<String, List<double[]>> points = new TreeMap<>();
    for (Row r : rows == null ? List.<Row>of() : rows) {
      int n = r.length();
      String name = r.getString(1);
      if (n == 5 && !"all".equals(r.getString(2))) {
        name += " " + r.getString(2);
      }
      points.computeIfAbsent(name, k -> new java.util.ArrayList<>())
          .add(new double[] {((Number) r.get(n - 2)).doubleValue(), ((Number) r.get(n - 1)).doubleValue()});
    }
    return ReportPage.series(points);
  }

  @Override
  public String exampleQueries(String root, String study) {
    return "bin/mechsweep sql --root " + root + " \"select * from mechsweep." + VarAssignSummary.PHASES
        + " where study = '" + study + "'\"\nbin/mechsweep sql --root " + root + " --file analysis/sql/varassign_phases.sql";
  }
}
