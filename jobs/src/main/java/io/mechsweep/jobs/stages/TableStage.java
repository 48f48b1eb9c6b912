package io.mechsweep.jobs.stages;

import io.mechsweep.analysis.tables.TableRows;
import io.mechsweep.analysis.tables.TableStore;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.tasks.Task;
import io.mechsweep.training.eval.RunOutcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Builds a study's table rows from its run outcomes and writes its partition of each table.
 * Rows of runs (and datasets) an earlier config of the study made stay: a changed grid adds to
 * the study's history instead of replacing it, and {@code runs.current_config} says which runs
 * the current config selects.
 */
public final class TableStage {
  private TableStage() {}

  /** Writes the shared tables and the task's own; returns each run with its outcome. */
  public static List<Task.RunResult> write(
      TableStore tables, StudyPlan plan, DatasetMetadata dataset, String datasetDir, List<RunOutcome> outcomes) {
    String study = plan.config().study();
    List<Row> runs = new ArrayList<>();
    List<Row> params = new ArrayList<>();
    List<Row> metrics = new ArrayList<>();
    List<Row> evals = new ArrayList<>();
    List<Task.RunResult> results = new ArrayList<>();
    for (int i = 0; i < plan.runs().size(); i++) {
      RunSpec spec = plan.runs().get(i);
      RunOutcome o = outcomes.get(i);
      runs.add(TableRows.run(spec.runId(), spec.name(), spec.config(), o));
      params.addAll(TableRows.params(spec.runId(), spec.config()));
      metrics.addAll(TableRows.metrics(o));
      evals.addAll(TableRows.evals(o));
      results.add(new Task.RunResult(spec, o));
    }
    keepingHistory(tables, Tables.DATASETS, study, TableRows.datasets(dataset, rootRelative(tables, datasetDir)),
        "dataset_id");
    Dataset<Row> fresh = tables.frame(Tables.RUNS, runs);
    tables.replace(Tables.RUNS, study, tables.others(Tables.RUNS, study, fresh, "run_id")
        .withColumn("current_config", functions.lit(false)).unionByName(fresh).coalesce(1));
    keepingHistory(tables, Tables.RUN_PARAMS, study, params, "run_id");
    keepingHistory(tables, Tables.METRICS, study, metrics, "run_id");
    keepingHistory(tables, Tables.EVALS, study, evals, "run_id");
    plan.config().task().tableRows(results)
        .forEach((table, rows) -> keepingHistory(tables, table, study, rows, "run_id"));
    plan.config().task().datasetTables(tables.spark(), datasetDir).forEach((table, rows) -> tables.replace(table,
        study, tables.others(table, study, rows, "dataset_id").unionByName(rows).coalesce(1)));
    return results;
  }

  /** Replaces the study's rows with {@code rows}, keeping those of other keys (earlier grids). */
  private static void keepingHistory(TableStore tables, Tables.Table table, String study, List<Row> rows, String key) {
    Dataset<Row> fresh = tables.frame(table, rows);
    tables.replace(table, study, tables.others(table, study, fresh, key).unionByName(fresh).coalesce(1));
  }

  /** The dataset's directory relative to the root, so that a copied or moved root stays right. */
  private static String rootRelative(TableStore tables, String dir) {
    String root = tables.root().endsWith("/") ? tables.root() : tables.root() + "/";
    return dir.startsWith(root) ? dir.substring(root.length()) : dir;
  }
}
