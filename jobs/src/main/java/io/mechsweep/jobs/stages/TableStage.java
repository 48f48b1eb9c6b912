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
import org.apache.spark.sql.Row;

/** Builds a study's table rows from its run outcomes and writes its partition of each table. */
public final class TableStage {
  private TableStage() {}

  /** Writes the shared tables and the task's own; returns each run with its outcome. */
  public static List<Task.RunResult> write(
      TableStore tables, StudyPlan plan, DatasetMetadata dataset, String datasetDir, List<RunOutcome> outcomes) {
    String study = plan.config().study();
    List<Row> runs = new ArrayList<>();
    List<Row> metrics = new ArrayList<>();
    List<Row> evals = new ArrayList<>();
    List<Task.RunResult> results = new ArrayList<>();
    for (int i = 0; i < plan.runs().size(); i++) {
      RunSpec spec = plan.runs().get(i);
      RunOutcome o = outcomes.get(i);
      runs.add(TableRows.run(spec.runId(), spec.config(), o));
      metrics.addAll(TableRows.metrics(o));
      evals.addAll(TableRows.evals(o));
      results.add(new Task.RunResult(spec, o));
    }
    tables.write(Tables.DATASETS, study, TableRows.datasets(dataset, datasetDir));
    tables.write(Tables.RUNS, study, runs);
    tables.write(Tables.METRICS, study, metrics);
    tables.write(Tables.EVALS, study, evals);
    plan.config().task().tableRows(results).forEach((table, rows) -> tables.write(table, study, rows));
    return results;
  }
}
