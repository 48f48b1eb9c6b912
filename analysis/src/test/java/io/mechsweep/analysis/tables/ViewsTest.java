package io.mechsweep.analysis.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mechsweep.analysis.anchor.AnchorTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The views' semantics on tables written as real Parquet with known numbers: best learning rate
 * per mapping among those that fit, means over seeds, no_fit and failed cells, and the per-run
 * summary reading the last probed step.
 */
class ViewsTest {
  @TempDir static Path root;
  private static SparkSession spark;
  private static Views views;

  @BeforeAll
  static void writeTables() {
    spark = SparkSession.builder().master("local[1]").appName("views").config("spark.ui.enabled", "false").getOrCreate();
    TableStore tables = new TableStore(spark, root.toString(), false);
    List<Row> runs = new ArrayList<>();
    List<Row> solutions = new ArrayList<>();
    // depth 2, γ 0.8: lr 1e-4 fits (seen .95/.97) and is inferential (.9/.7); lr 3e-4 answers (4,3)
    // inferentially (.99) but does not fit the seen pairs (.5/.6), so it must not count.
    run(runs, solutions, "a1", 2, 0.8, 1e-4, 1, new double[] {0.95, 0.9, 0.05});
    run(runs, solutions, "a2", 2, 0.8, 1e-4, 2, new double[] {0.97, 0.7, 0.2});
    run(runs, solutions, "a3", 2, 0.8, 3e-4, 1, new double[] {0.5, 0.99, 0.0});
    run(runs, solutions, "a4", 2, 0.8, 3e-4, 2, new double[] {0.6, 0.99, 0.0});
    run(runs, solutions, "b1", 2, 0.3, 1e-4, 1, new double[] {0.99, 0.02, 0.9});
    run(runs, solutions, "b2", 2, 0.3, 1e-4, 2, new double[] {1.0, 0.0, 0.8});
    run(runs, solutions, "c1", 3, 0.3, 1e-4, 1, new double[] {0.3, 0.0, 0.0});
    run(runs, solutions, "c2", 3, 0.3, 1e-4, 2, new double[] {0.5, 0.1, 0.1});
    run(runs, solutions, "d1", 3, 0.8, 1e-4, 1, null); // failed: no solution rows
    // A run of an earlier config of the study, and another task's run in the same partition.
    run(runs, solutions, "old1", 2, 0.8, 1e-4, 3, new double[] {0.99, 0.99, 0.0});
    runs.set(runs.size() - 1, with(runs.get(runs.size() - 1), 26, false));
    run(runs, solutions, "lego1", 2, 0.8, 1e-4, 4, new double[] {0.99, 0.99, 0.0});
    runs.set(runs.size() - 1, with(runs.get(runs.size() - 1), 2, "lego"));
    List<Row> probes = List.of(
        probe("b1", 6, "effective_rank", "blocks.0.attn.q", null, null, "all", 50.0),
        probe("b1", 12, "effective_rank", "blocks.0.attn.q", null, null, "all", 40.0),
        probe("b1", 12, "attn_flow", null, 0, "unseen_pair", "a2->a1", 0.7));
    tables.write(Tables.DATASETS, "s", List.of());
    tables.write(Tables.RUNS, "s", runs);
    tables.write(Tables.METRICS, "s", List.of());
    tables.write(Tables.EVALS, "s", List.of());
    tables.write(AnchorTables.SOLUTIONS, "s", solutions);
    tables.write(Tables.PROBES, "s", probes);
    List<Tables.Table> all = new ArrayList<>(Tables.SHARED);
    all.add(AnchorTables.SOLUTIONS);
    views = Views.register(spark, tables, all, AnchorTables.VIEWS);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void phaseDiagramKeepsTheBestFittingLearningRatePerMappingAndMarksNoFit() {
    List<Row> cells = views.sql("select depth, gamma, solution_type, no_fit, seen_accuracy, inferential_accuracy,"
        + " symmetric_accuracy, best_lr_inferential, learning_rates, runs, finished_runs, run_solution_types"
        + " from ${db}anchor_phase_diagram order by depth, gamma").collectAsList();
    assertThat(cells).hasSize(4);

    Row symmetric = cells.get(0); // depth 2, γ 0.3
    assertThat(symmetric.getString(2)).isEqualTo("symmetric");
    assertThat(symmetric.getDouble(6)).isCloseTo(0.85, within(1e-12));

    Row inferential = cells.get(1); // depth 2, γ 0.8
    assertThat(inferential.getString(2)).isEqualTo("inferential");
    assertThat(inferential.getDouble(5)).as("mean over seeds at the fitting lr, not the .99 of the unfit one")
        .isCloseTo(0.8, within(1e-12));
    assertThat(inferential.getDouble(4)).as("best seen mean over lrs").isCloseTo(0.96, within(1e-12));
    assertThat(inferential.getDouble(7)).isEqualTo(1e-4);
    assertThat(inferential.getLong(8)).isEqualTo(2);
    assertThat(inferential.getLong(9)).isEqualTo(4);

    Row noFit = cells.get(2); // depth 3, γ 0.3
    assertThat(noFit.getString(2)).isEqualTo("no_fit");
    assertThat(noFit.getBoolean(3)).isTrue();
    assertThat(noFit.getDouble(4)).isCloseTo(0.4, within(1e-12));
    assertThat(noFit.isNullAt(5)).isTrue();
    assertThat(noFit.getString(11)).isEqualTo("no_fit, no_fit");

    Row failed = cells.get(3); // depth 3, γ 0.8
    assertThat(failed.getString(2)).isEqualTo("failed");
    assertThat(failed.getBoolean(3)).isFalse();
    assertThat(failed.getLong(10)).isZero();
  }

  @Test
  void runSummaryReadsEachRunsLastProbedCheckpoint() {
    Row b1 = views.sql("select probe_step, l1_wq_effective_rank, l1_unseen_a2_to_a1, solution_type"
        + " from ${db}anchor_run_summary where run_id = 'b1'").first();
    assertThat(b1.getInt(0)).isEqualTo(12);
    assertThat(b1.getDouble(1)).isEqualTo(40.0);
    assertThat(b1.getDouble(2)).isEqualTo(0.7);
    assertThat(b1.getString(3)).isEqualTo("symmetric");
    assertThat(views.sql("select count(*) from ${db}anchor_run_summary").first().getLong(0)).isEqualTo(9);
    assertThat(views.sql("select probe_step from ${db}anchor_run_summary where run_id = 'd1'").first().isNullAt(0)).isTrue();
  }

  /** {@code row} with column {@code i} set to {@code value}. */
  private static Row with(Row row, int i, Object value) {
    Object[] values = new Object[row.length()];
    for (int c = 0; c < values.length; c++) {
      values[c] = c == i ? value : row.get(c);
    }
    return RowFactory.create(values);
  }

  @Test
  void viewsShowTheirTasksCurrentGridAndHistoryTwinsEveryConfig() {
    assertThat(views.sql("select run_id from ${db}anchor_run_summary").collectAsList())
        .extracting(r -> r.getString(0)).doesNotContain("old1", "lego1").hasSize(9);
    assertThat(views.sql("select run_id from ${db}anchor_run_summary_history").collectAsList())
        .extracting(r -> r.getString(0)).contains("old1").doesNotContain("lego1").hasSize(10);
    // The history phase diagram counts the superseded run in its cell; the current one does not.
    assertThat(views.sql("select runs from ${db}anchor_phase_diagram where depth = 2 and gamma = 0.8").first().getLong(0))
        .isEqualTo(4);
    assertThat(views.sql("select runs from ${db}anchor_phase_diagram_history where depth = 2 and gamma = 0.8").first()
        .getLong(0)).isEqualTo(5);
  }

  /** @param acc seen, inferential, symmetric accuracy at the final step; null for a failed run */
  private static void run(List<Row> runs, List<Row> solutions, String id, int depth, double gamma, double lr, long seed,
      double[] acc) {
    boolean finished = acc != null;
    runs.add(RowFactory.create(id, "ds", "anchor", depth, gamma, null, lr, 0.01, seed, 16, 32, 8, 1, "post", 12, 32,
        finished ? "finished" : "failed", finished ? null : "loss NaN at step 3", finished ? 12 : 3,
        finished ? 0.1 : null, 0, 1.0, 10.0, "cpu", 1, "{}", true, null, "seed=" + seed));
    if (finished) {
      String type = acc[0] < 0.9 ? "no_fit" : acc[1] >= 0.5 ? "inferential" : acc[2] >= 0.5 ? "symmetric" : "other";
      solutions.add(RowFactory.create(id, 12, type, acc[0], acc[1], acc[2], 0.9, 0.5, true));
      solutions.add(RowFactory.create(id, 6, "no_fit", 0.1, 0.0, 0.0, 0.9, 0.5, false));
    }
  }

  private static Row probe(String run, int step, String probe, String tensor, Integer layer, String set, String bucket,
      double value) {
    return RowFactory.create(run, step, probe, tensor, layer, layer == null ? null : 0, set, bucket, value);
  }
}
