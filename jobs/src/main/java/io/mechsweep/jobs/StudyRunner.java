package io.mechsweep.jobs;

import io.mechsweep.analysis.StudySummary;
import io.mechsweep.analysis.tables.TableStore;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.stages.DatasetStage;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.jobs.stages.TableStage;
import io.mechsweep.jobs.stages.TrainingStage;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The steps of a study in order: dataset → training → tables → summary. */
public final class StudyRunner {
  private final SparkSession spark;
  private final String root;
  private final SparkSessions.Catalog catalog;
  private final PrintStream out;

  public StudyRunner(SparkSession spark, String root, SparkSessions.Catalog catalog, PrintStream out) {
    this.spark = spark;
    this.root = root;
    this.catalog = catalog;
    this.out = out;
  }

  public DatasetMetadata generate(StudyConfig config) throws IOException {
    return DatasetStage.ensure(spark, root, config.anchor(), out);
  }

  /** What a study run produced: per-run results and the printed summary. */
  public record Result(List<RunOutcome> outcomes, List<StudySummary.RunResult> runs, String summary) {}

  /**
   * Trains every unfinished run and writes the tables.
   *
   * @param generateIfMissing generate the dataset first (study) or require it (train)
   */
  public Result train(StudyConfig config, boolean generateIfMissing, boolean retryFailed) throws IOException {
    StudyPlan plan = StudyPlan.of(config);
    AnchorDataset dataset = new AnchorDataset(config.anchor());
    String datasetDir = DatasetStage.dir(root, dataset);
    DatasetMetadata metadata =
        generateIfMissing
            ? generate(config)
            : DatasetMetadata.read(datasetDir, spark.sparkContext().hadoopConfiguration())
                .orElseThrow(() -> new IOException("no complete dataset at " + datasetDir
                    + "; run `mechsweep generate` with this config first (or use `mechsweep study`)"));
    TaskData data = AnchorDataset.load(spark, datasetDir, config.evaluation().maxRowsPerSet());
    RunStore store = new RunStore(root, new HadoopFiles(spark.sparkContext().hadoopConfiguration()));
    long start = System.nanoTime();
    List<RunOutcome> outcomes = TrainingStage.run(spark, plan, data, store, retryFailed, out);
    out.printf("training: done in %.1f s%n", (System.nanoTime() - start) / 1e9);

    TableStore tables = new TableStore(spark, root, catalog != SparkSessions.Catalog.NONE);
    List<StudySummary.RunResult> runs = TableStage.write(tables, plan, metadata, datasetDir, outcomes);
    String summary = StudySummary.format(config.study(), runs);
    out.println();
    out.print(summary);
    out.println();
    out.println("tables (Parquet, partition study=" + config.study() + "): " + root + "/tables/{"
        + String.join(",", Tables.ALL.stream().map(Tables.Table::name).toList()) + "}");
    if (catalog != SparkSessions.Catalog.NONE) {
      out.println("catalog: database " + Tables.DATABASE + " (try: bin/mechsweep sql --root " + root
          + " \"select * from mechsweep.solutions where is_final\")");
    }
    return new Result(outcomes, runs, summary);
  }
}
