package io.mechsweep.analysis.anchor;

import io.mechsweep.analysis.probes.WeightProbes;
import io.mechsweep.analysis.probes.anchor.AnchorProbes;
import io.mechsweep.analysis.report.Charts;
import io.mechsweep.analysis.report.ReportPage;
import io.mechsweep.analysis.report.TaskReport;
import io.mechsweep.training.model.Names;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The anchor study's report sections: the phase diagram, per-run summary, the unseen pair by key
 * side, complexity against γ, singular-value spectra, attention flow and training curves.
 */
public final class AnchorReport implements TaskReport {
  /** The weight matrix whose complexity the paper tracks: W_Q of the first layer. */
  public static final String FIRST_WQ = Names.attnQ(0);
  /** Runs with their own attention heatmap: one per phase-diagram cell, at most this many. */
  static final int MAX_HEATMAPS = 24;
  /** Runs with their own training-curve picture, at most this many. */
  static final int MAX_CURVES = 64;

  @Override
  public void write(ReportPage page) throws IOException {
    List<Row> cells = page.query("SELECT * FROM ${db}anchor_phase_diagram WHERE study = '%s' ORDER BY weight_decay, depth, gamma");
    if (cells.isEmpty()) {
      throw new io.mechsweep.datagen.BadInputException("study '" + page.study() + "' has no runs in the tables; run `mechsweep study` for it first");
    }
    List<Row> runs = page.query("SELECT * FROM ${db}anchor_run_summary WHERE study = '%s'"
        + " ORDER BY depth, gamma, peak_lr, weight_decay, seed");
    phaseDiagram(page, cells);
    page.heading("Runs");
    page.paragraph("Final solution and the headline probes at each run's last checkpoint (view anchor_run_summary;"
        + " l1/l2 = layer 1/2, unseen = the pair (4,3)).");
    page.table(page.frame("SELECT run_id, depth, gamma, peak_lr, weight_decay, seed, status,"
        + " final_loss, solution_type, seen_accuracy, inferential_accuracy, symmetric_accuracy, probe_step,"
        + " l1_wq_effective_rank, l1_wq_condensed_fraction, l1_wq_clusters, l1_unseen_a2_to_a1,"
        + " l1_unseen_a1_to_key, l2_seen_same_target_cos, l2_seen_different_target_cos,"
        + " l2_unseen_vs_inferential_cos, l2_unseen_vs_symmetric_cos, inferential_accuracy_train_keys,"
        + " symmetric_accuracy_train_keys, inferential_accuracy_heldout_keys, symmetric_accuracy_heldout_keys"
        + " FROM ${db}anchor_run_summary WHERE study = '%s' ORDER BY depth, gamma, peak_lr, weight_decay, seed"));
    keySides(page);
    complexity(page);
    attention(page, runs);
    curves(page, runs);
  }

  @Override
  public String exampleQueries(String root, String study) {
    return "bin/mechsweep sql --root " + root + " \"select * from mechsweep." + AnchorTables.PHASE_DIAGRAM
        + " where study = '" + study + "'\"\nbin/mechsweep sql --root " + root
        + " --file analysis/sql/probe_vs_gamma.sql";
  }

  private void phaseDiagram(ReportPage page, List<Row> cells) throws IOException {
    page.heading("Phase diagram");
    Map<Double, List<Charts.Cell>> byWd = new TreeMap<>();
    for (Row r : cells) {
      byWd.computeIfAbsent(r.getAs("weight_decay"), k -> new ArrayList<>()).add(new Charts.Cell(
          r.<Integer>getAs("depth"), r.<Double>getAs("gamma"), r.getAs("solution_type"),
          r.getAs("seen_accuracy"), r.getAs("inferential_accuracy"), r.getAs("symmetric_accuracy")));
    }
    for (Map.Entry<Double, List<Charts.Cell>> e : byWd.entrySet()) {
      String name = byWd.size() == 1 ? "phase-diagram.png" : String.format(Locale.ROOT, "phase-diagram-wd%s.png", e.getKey());
      String title = String.format(Locale.ROOT, "%s: solution of (4,3), weight decay %s", page.study(), e.getKey());
      page.image(name, Charts.phaseDiagram(title, e.getValue()), "phase diagram, weight decay " + e.getKey());
    }
    page.paragraph("Colour = solution type of the cell (best learning rate per mapping among those that fit the"
        + " seen pairs, accuracies averaged over seeds); grey = no_fit. Cells of view anchor_phase_diagram:");
    page.table(page.frame("SELECT depth, gamma, weight_decay, solution_type, no_fit,"
        + " seen_accuracy, inferential_accuracy, symmetric_accuracy, best_lr_inferential, best_lr_symmetric,"
        + " learning_rates, runs, finished_runs, run_solution_types FROM ${db}anchor_phase_diagram WHERE study = '%s'"
        + " ORDER BY weight_decay, depth, gamma"));
  }

  private void keySides(ReportPage page) throws IOException {
    page.heading("The unseen pair by key side");
    page.paragraph("(4,3) at each run's final evaluation, split by where its keys come from: keys of the training"
        + " split (the public code's 43_xel) and held-out keys (the paper's text). The solution type reads both"
        + " together. Mean over finished runs; runs = those with rows on that side.");
    page.table(page.frame("SELECT depth, gamma, count(inferential_accuracy_train_keys) AS runs_train_keys,"
        + " avg(inferential_accuracy_train_keys) AS inferential_train_keys,"
        + " avg(symmetric_accuracy_train_keys) AS symmetric_train_keys,"
        + " count(inferential_accuracy_heldout_keys) AS runs_heldout_keys,"
        + " avg(inferential_accuracy_heldout_keys) AS inferential_heldout_keys,"
        + " avg(symmetric_accuracy_heldout_keys) AS symmetric_heldout_keys"
        + " FROM ${db}anchor_run_summary WHERE study = '%s' AND status = 'finished' GROUP BY depth, gamma"
        + " ORDER BY depth, gamma"));
  }

  private void complexity(ReportPage page) throws IOException {
    page.heading("Complexity against γ");
    page.paragraph("First-layer W_Q at each run's last checkpoint: effective rank (exp of the entropy of the"
        + " normalized singular values) and condensation (fraction of neuron pairs with |cos| > 0.7)."
        + " The paper's direction: larger γ (smaller init) → lower rank, more condensed.");
    Dataset<Row> byGamma = page.frame("SELECT depth, gamma, count(*) AS runs,"
        + " avg(l1_wq_effective_rank) AS effective_rank, avg(l1_wq_stable_rank) AS stable_rank,"
        + " avg(l1_wq_condensed_fraction) AS condensed_fraction, avg(l1_wq_clusters) AS clusters,"
        + " avg(embed_cov_top_share) AS embed_cov_top_share"
        + " FROM ${db}anchor_run_summary WHERE study = '%s' AND probe_step IS NOT NULL GROUP BY depth, gamma"
        + " ORDER BY depth, gamma");
    List<Row> perRun = page.query("SELECT depth, gamma, l1_wq_effective_rank, l1_wq_condensed_fraction"
        + " FROM ${db}anchor_run_summary WHERE study = '%s' AND probe_step IS NOT NULL");
    if (perRun.isEmpty()) {
      page.paragraph("No probed checkpoints yet.");
      return;
    }
    page.image("effective-rank.png", Charts.versusGamma("W_Q (layer 1) effective rank", "effective rank",
        points(perRun, "l1_wq_effective_rank")), "effective rank against gamma");
    page.image("condensation.png", Charts.versusGamma("W_Q (layer 1) condensation", "fraction |cos| > 0.7",
        points(perRun, "l1_wq_condensed_fraction")), "condensation against gamma");
    page.table(byGamma);
    List<Row> spectra = page.query("SELECT r.depth, r.gamma, p.bucket, avg(p.value) AS value"
        + " FROM ${db}probes p JOIN ${db}anchor_run_summary r ON p.study = r.study AND p.run_id = r.run_id"
        + " AND p.step = r.probe_step WHERE p.study = '%s' AND p.probe = '" + WeightProbes.SINGULAR_VALUE
        + "' AND p.tensor = '" + FIRST_WQ + "' GROUP BY r.depth, r.gamma, p.bucket");
    Map<Integer, Map<Double, double[]>> byDepth = new TreeMap<>();
    for (Row r : spectra) {
      double[] sv = byDepth.computeIfAbsent(r.getAs("depth"), d -> new TreeMap<>())
          .computeIfAbsent(r.getAs("gamma"), g -> new double[WeightProbes.TOP_K]);
      sv[Integer.parseInt(r.getAs("bucket"))] = r.getAs("value");
    }
    for (Map.Entry<Integer, Map<Double, double[]>> e : byDepth.entrySet()) {
      page.image("spectra-depth" + e.getKey() + ".png",
          Charts.spectra("Top singular values, depth " + e.getKey(), "W_Q (layer 1)", e.getValue()),
          "singular value spectra, depth " + e.getKey());
    }
  }

  private void attention(ReportPage page, List<Row> runs) throws IOException {
    page.heading("Attention flow on the unseen pair (4,3)");
    page.paragraph("Mean attention from each role (rows) to each role (columns) at the last checkpoint; noise"
        + " sums all noise positions. Symmetric solutions merge the anchors first (a2→a1 in layer 1);"
        + " inferential ones copy the key onto the anchors first (a1→key, a2→key). One run per cell.");
    Map<String, Row> chosen = new LinkedHashMap<>(); // the first run (by lr, wd, seed) of each cell
    for (Row r : runs) {
      if (r.getAs("probe_step") != null && chosen.size() < MAX_HEATMAPS) {
        chosen.putIfAbsent(r.getAs("depth") + "|" + r.getAs("gamma"), r);
      }
    }
    Map<String, List<Row>> flows = page.byRun("SELECT p.run_id, p.layer, p.bucket, p.value FROM ${db}probes p"
        + " JOIN ${db}anchor_run_summary r ON p.study = r.study AND p.run_id = r.run_id AND p.step = r.probe_step"
        + " WHERE p.study = '%s' AND p.probe = '" + AnchorProbes.ATTN_FLOW + "' AND p.probe_set = '"
        + AnchorProbes.UNSEEN + "' AND p.head = 0");
    for (Row run : chosen.values()) {
      String runId = run.getAs("run_id");
      int depth = run.getAs("depth");
      List<double[][]> layers = new ArrayList<>();
      for (int l = 0; l < depth; l++) {
        layers.add(new double[AnchorProbes.QUERY_ROLES.size()][AnchorProbes.KEY_ROLES.size()]);
      }
      for (Row p : flows.getOrDefault(runId, List.of())) {
        String[] edge = p.<String>getAs("bucket").split("->");
        layers.get(p.<Integer>getAs("layer"))[AnchorProbes.QUERY_ROLES.indexOf(edge[0])]
            [AnchorProbes.KEY_ROLES.indexOf(edge[1])] = p.getAs("value");
      }
      String title = String.format(Locale.ROOT, "%s γ=%.2f (%s)", runId, run.<Double>getAs("gamma"), run.getAs("solution_type"));
      page.image("attention/" + runId + ".png",
          Charts.attentionFlow(title, AnchorProbes.QUERY_ROLES, AnchorProbes.KEY_ROLES, layers),
          "attention flow of run " + runId);
    }
  }

  private void curves(ReportPage page, List<Row> runs) throws IOException {
    page.heading("Training curves");
    if (runs.size() > MAX_CURVES) {
      page.paragraph("The first " + MAX_CURVES + " of " + runs.size() + " runs; every curve is in tables metrics"
          + " and solutions.");
    }
    Map<String, List<Row>> losses = page.byRun("SELECT run_id, step, loss FROM ${db}metrics WHERE study = '%s'"
        + " ORDER BY run_id, step");
    Map<String, List<Row>> accuracies = page.byRun("SELECT run_id, step, seen_accuracy, inferential_accuracy,"
        + " symmetric_accuracy FROM ${db}solutions WHERE study = '%s' ORDER BY run_id, step");
    for (Row run : runs.subList(0, Math.min(MAX_CURVES, runs.size()))) {
      String runId = run.getAs("run_id");
      List<Row> loss = losses.getOrDefault(runId, List.of());
      List<Row> acc = accuracies.getOrDefault(runId, List.of());
      String title = String.format(Locale.ROOT, "%s: depth %d, γ %.2f, lr %.1e, seed %d — %s", runId,
          run.<Integer>getAs("depth"), run.<Double>getAs("gamma"), run.<Double>getAs("peak_lr"),
          run.<Long>getAs("seed"), run.getAs("solution_type") == null ? run.getAs("status") : run.getAs("solution_type"));
      page.image("curves/" + runId + ".png",
          Charts.trainingCurves(title, ReportPage.column(loss, 1), ReportPage.column(loss, 2), ReportPage.column(acc, 1), ReportPage.column(acc, 2),
              ReportPage.column(acc, 3), ReportPage.column(acc, 4)),
          "training curves of run " + runId);
    }
  }

  private static Map<Integer, double[][]> points(List<Row> rows, String column) {
    Map<Integer, List<double[]>> byDepth = new TreeMap<>();
    for (Row r : rows) {
      Double v = r.getAs(column);
      if (v != null) {
        byDepth.computeIfAbsent(r.getAs("depth"), d -> new ArrayList<>()).add(new double[] {r.getAs("gamma"), v});
      }
    }
    Map<Integer, double[][]> out = new TreeMap<>();
    byDepth.forEach((d, pts) -> out.put(d, new double[][] {
        pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()}));
    return out;
  }

}
