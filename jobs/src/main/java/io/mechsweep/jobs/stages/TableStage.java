package io.mechsweep.jobs.stages;

import io.mechsweep.analysis.AnchorSolution;
import io.mechsweep.analysis.StudySummary;
import io.mechsweep.analysis.tables.TableRows;
import io.mechsweep.analysis.tables.TableStore;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.RunOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/** Builds a study's table rows from its run outcomes and writes its partition of each table. */
public final class TableStage {
  private TableStage() {}

  /** Writes every table; returns each run's grid position and final solution for the summary. */
  public static List<StudySummary.RunResult> write(
      TableStore tables, StudyPlan plan, DatasetMetadata dataset, String datasetDir, List<RunOutcome> outcomes) {
    String study = plan.config().study();
    double fit = plan.config().evaluation().fitThreshold();
    double mapping = plan.config().evaluation().mappingThreshold();
    List<Row> runs = new ArrayList<>();
    List<Row> metrics = new ArrayList<>();
    List<Row> evals = new ArrayList<>();
    List<Row> solutions = new ArrayList<>();
    List<StudySummary.RunResult> results = new ArrayList<>();
    for (int i = 0; i < plan.runs().size(); i++) {
      RunSpec spec = plan.runs().get(i);
      RunOutcome o = outcomes.get(i);
      runs.add(TableRows.run(spec.resolved(), o));
      metrics.addAll(TableRows.metrics(o));
      evals.addAll(TableRows.evals(o));
      AnchorSolution last = null;
      if (o.finished()) {
        for (int step : new TreeSet<>(o.evals().stream().map(EvalRow::step).toList())) {
          last = AnchorSolution.classify(o.runId(), step, o.evals(), fit, mapping);
          solutions.add(TableRows.solution(last, step == o.finalStep()));
        }
      }
      results.add(
          new StudySummary.RunResult(spec.depth(), spec.gamma(), spec.peakLr(), spec.weightDecay(),
              spec.seed(), o.status(), o.reason(), o.finished() ? last : null));
    }
    tables.write(Tables.DATASETS, study, TableRows.datasets(dataset, datasetDir));
    tables.write(Tables.RUNS, study, runs);
    tables.write(Tables.METRICS, study, metrics);
    tables.write(Tables.EVALS, study, evals);
    tables.write(Tables.SOLUTIONS, study, solutions);
    return results;
  }
}
