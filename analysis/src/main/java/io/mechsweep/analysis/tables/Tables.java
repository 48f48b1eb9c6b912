package io.mechsweep.analysis.tables;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The shared result tables of a study (a task's own tables, such as anchor's {@code solutions},
 * live with the task). Each lives at {@code <root>/tables/<name>/study=<study>/} as
 * Parquet (the {@code study} column is the Hive-style partition) and is registered as
 * {@code mechsweep.<name>}. Column meanings are documented in docs/tables.md.
 */
public final class Tables {
  public static final String DATABASE = "mechsweep";
  public static final String PARTITION = "study";
  /** What a study may be called: it names a partition directory and appears quoted in SQL. */
  public static final String STUDY_NAME = "[A-Za-z0-9_-]{1,64}";

  /** A table's name in the catalog and its columns, without the {@code study} partition. */
  public record Table(String name, StructType schema) {}

  public static final Table DATASETS =
      new Table(
          "datasets",
          new StructType()
          .add("dataset_id", StringType, false)
          .add("task", StringType, false)
          .add("split", StringType, false)
          .add("rows", LongType, false)
          .add("seed", LongType, false)
          .add("spec_json", StringType, false)
          .add("path", StringType, false)
          .add("generation_seconds", DoubleType, false));

  public static final Table RUNS =
      new Table(
          "runs",
          new StructType()
          .add("run_id", StringType, false)
          .add("dataset_id", StringType, false)
          .add("task", StringType, false)
          .add("depth", IntegerType, false)
          .add("gamma", DoubleType, true)
          .add("init_std", DoubleType, true)
          .add("peak_lr", DoubleType, false)
          .add("weight_decay", DoubleType, false)
          .add("seed", LongType, false)
          .add("d_model", IntegerType, false)
          .add("d_ff", IntegerType, false)
          .add("d_k", IntegerType, false)
          .add("heads", IntegerType, false)
          .add("norm", StringType, false)
          .add("steps", IntegerType, false)
          .add("batch_size", IntegerType, false)
          .add("status", StringType, false)
          .add("failure_reason", StringType, true)
          .add("final_step", IntegerType, false)
          .add("final_loss", DoubleType, true)
          .add("resumed_from_step", IntegerType, false)
          .add("train_seconds", DoubleType, false)
          .add("ms_per_step", DoubleType, false)
          .add("device", StringType, false)
          .add("pack_size", IntegerType, false)
          .add("config_json", StringType, false)
          .add("current_config", org.apache.spark.sql.types.DataTypes.BooleanType, true)
          .add("extended_from", StringType, true)
          // the settings that tell the run apart from the study's others, e.g. "gamma=0.8 seed=3"
          .add("run_name", StringType, true));

  /**
   * Every setting of every run's resolved config in long form (the fields of {@code config_json}),
   * so SQL can filter and group by any grid axis: {@code value} as the config's JSON writes it.
   */
  public static final Table RUN_PARAMS =
      new Table(
          "run_params",
          new StructType()
          .add("run_id", StringType, false)
          .add("name", StringType, false)
          .add("value", StringType, true));

  public static final Table METRICS =
      new Table(
          "metrics",
          new StructType()
          .add("run_id", StringType, false)
          .add("step", IntegerType, false)
          .add("lr", DoubleType, false)
          .add("loss", DoubleType, false)
          .add("grad_norm", DoubleType, false)
          // "train", or "mimic" for lego's attention-mimicking pre-stage (steps counted per stage)
          .add("stage", StringType, true));

  public static final Table EVALS =
      new Table(
          "evals",
          new StructType()
          .add("run_id", StringType, false)
          .add("step", IntegerType, false)
          .add("eval_set", StringType, false)
          .add("metric", StringType, false)
          .add("bucket", StringType, false)
          .add("value", DoubleType, false)
          .add("n", LongType, false));

  /** Checkpoint probes; {@code layer} is 0-based like parameter names ({@code blocks.0.…}). */
  public static final Table PROBES =
      new Table(
          "probes",
          new StructType()
          .add("run_id", StringType, false)
          .add("step", IntegerType, false)
          .add("probe", StringType, false)
          .add("tensor", StringType, true)
          .add("layer", IntegerType, true)
          .add("head", IntegerType, true)
          .add("probe_set", StringType, true)
          .add("bucket", StringType, false)
          .add("value", DoubleType, false));

  /** The long-format tables every task writes; a task adds rows to them, not columns. */
  public static final List<Table> SHARED = List.of(DATASETS, RUNS, RUN_PARAMS, METRICS, EVALS, PROBES);

  private Tables() {}
}
