package io.mechsweep.jobs.tasks;

import io.mechsweep.analysis.probes.TaskProbes;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TrainSource;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.training.eval.RunOutcome;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One study's task, configured by its {@code task:} section: everything mechsweep needs that
 * differs between studies. Made by its {@link TaskKind} from the config; the rest of a study
 * (grid, packs, training, generic tables, probes stage) is the same for every task.
 */
public interface Task extends Serializable {
  TaskKind kind();

  /** The generator's parameters: hashed into the dataset id and recorded with the dataset. */
  Object spec();

  String datasetId();

  long datasetRows();

  int vocabSize();

  /** Output classes of the model's head. */
  int classes();

  int seqLen();

  /**
   * The training-data variants a study runs, a grid axis ({@link TrainSource#variant}); tasks
   * with one kind of training data have only the default.
   */
  default List<String> dataVariants() {
    return List.of(TrainSource.DEFAULT_VARIANT);
  }

  /** Problems of the training settings with this task section (e.g. a batch larger than the data). */
  default List<String> checkTraining(int batchSize) {
    return List.of();
  }

  /** Writes the task's dataset (sequences whose rows are a pure function of (seed, index)). */
  DatasetWriter.Result generate(SparkSession spark, String dir, int partitions) throws IOException;

  /** What training and probing read from a generated dataset. */
  record Inputs(TaskData data, TaskProbes probes) {}

  Inputs load(SparkSession spark, String dir, int maxEvalRows, int probeRowsPerSet) throws IOException;

  /** The same training data and evaluation sets generated in memory, without Spark (benchmarks). */
  TaskData generateInMemory(int maxEvalRows);

  /** One run of the study with its outcome (null never: skipped runs are read back). */
  record RunResult(RunSpec spec, RunOutcome outcome) {}

  /** Rows of the task's own tables ({@link TaskKind#tables}), from the runs' outcomes. */
  default Map<Tables.Table, List<Row>> tableRows(List<RunResult> runs) {
    return Map.of();
  }

  /** The text printed at the end of a study, read from the outcomes or the task's views. */
  String summary(String study, List<RunResult> runs, Views views);
}
