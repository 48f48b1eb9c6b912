package io.mechsweep.jobs.tasks;

import io.mechsweep.analysis.probes.TaskProbes;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TrainSource;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.ModelConfig;
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

  /** Rows the dataset will have; 0 when unknown before generation (a corpus job decides). */
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

  /**
   * The model a run of {@code variant} trains: the config's model family ({@code planned}), or the
   * task's own wiring of it per variant (topics' settings freeze and fix different matrices).
   */
  default ModelConfig model(ModelConfig planned, String variant) {
    return planned;
  }

  /** Whether {@link #model} differs between variants, so that runs of different variants never share a pack. */
  default boolean variantsChangeModel() {
    return false;
  }

  /** Problems of the {@code model} section with this task (e.g. a width the task's model cannot have). */
  default List<String> checkModel(StudyConfig.Model model) {
    return List.of();
  }

  /**
   * The task's settings that change how runs train but not the dataset (topics: the masking
   * rule), as one line hashed into every run id; null when there are none.
   */
  default String runSettings() {
    return null;
  }

  /** Whether an evaluation set records a held-out cross-entropy (what early stopping watches). */
  default boolean recordsHeldOutLoss() {
    return false;
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

  /**
   * Rows of the task's own tables that come from its dataset rather than from runs (Wikipedia:
   * the corpus job's and the topic model's outputs), each with a {@code dataset_id} column.
   */
  default Map<Tables.Table, org.apache.spark.sql.Dataset<Row>> datasetTables(SparkSession spark, String datasetDir) {
    return Map.of();
  }

  /** The text printed at the end of a study, read from the outcomes or the task's views. */
  String summary(String study, List<RunResult> runs, Views views);
}
