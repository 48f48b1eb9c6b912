package io.mechsweep.jobs;

import io.mechsweep.analysis.StudySummary;
import io.mechsweep.analysis.probes.anchor.AnchorProbes;
import io.mechsweep.analysis.report.StudyReport;
import io.mechsweep.analysis.tables.TableStore;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.stages.DatasetStage;
import io.mechsweep.jobs.stages.ProbeStage;
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

/** The steps of a study in order: dataset → training → tables → probes → views → report. */
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

  /** What a study run produced: per-run results, the printed summary, the probes and the report. */
  public record Result(
      List<RunOutcome> outcomes, List<StudySummary.RunResult> runs, String summary, ProbeStage.Result probes,
      String report) {}

  /**
   * Trains every unfinished run and writes the tables.
   *
   * @param generateIfMissing generate the dataset first (study) or require it (train)
   * @param reprobe probe every checkpoint again, replacing the study's probe rows (after the
   *     probes themselves changed); otherwise only checkpoints not in the table are probed
   */
  public Result train(StudyConfig config, boolean generateIfMissing, boolean retryFailed, boolean reprobe)
      throws IOException {
    StudyPlan plan = StudyPlan.of(config);
    AnchorDataset dataset = new AnchorDataset(config.anchor());
    String datasetDir = DatasetStage.dir(root, dataset);
    DatasetMetadata metadata =
        generateIfMissing
            ? generate(config)
            : DatasetMetadata.read(datasetDir, spark.sparkContext().hadoopConfiguration())
                .orElseThrow(() -> new IOException("no complete dataset at " + datasetDir
                    + "; run `mechsweep generate` with this config first (or use `mechsweep study`)"));
    AnchorDataset.Splits splits = AnchorDataset.readSplits(spark, datasetDir); // once for training and probes
    TaskData data = splits.taskData(config.evaluation().maxRowsPerSet());
    HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
    RunStore store = new RunStore(root, files);
    long start = System.nanoTime();
    List<RunOutcome> outcomes = TrainingStage.run(spark, plan, data, store, retryFailed, out);
    out.printf("training: done in %.1f s%n", (System.nanoTime() - start) / 1e9);

    TableStore tables = new TableStore(spark, root, catalog != SparkSessions.Catalog.NONE);
    List<StudySummary.RunResult> runs = TableStage.write(tables, plan, metadata, datasetDir, outcomes);
    AnchorProbes probes = AnchorProbes.of(splits, config.probes().rowsPerSet());
    if (reprobe) {
      tables.dropPartition(Tables.PROBES, config.study());
    }
    ProbeStage.Result probed = ProbeStage.run(spark, plan, probes, store, tables, out);
    String report = report(tables, files, config.study());
    String summary = StudySummary.format(config.study(), runs);
    out.println();
    out.print(summary);
    out.println();
    out.println("tables (Parquet, partition study=" + config.study() + "): " + root + "/tables/{"
        + String.join(",", Tables.ALL.stream().map(Tables.Table::name).toList()) + "}");
    if (catalog != SparkSessions.Catalog.NONE) {
      out.println("catalog: database " + Tables.DATABASE + ", views " + String.join(", ", Views.ALL)
          + " (try: bin/mechsweep sql --root " + root + " \"select * from mechsweep.phase_diagram\")");
    }
    out.println("report: " + report);
    return new Result(outcomes, runs, summary, probed, report);
  }

  /** Regenerates a study's report from the tables; returns the page's path. */
  public String report(String study) throws IOException {
    return report(new TableStore(spark, root, catalog != SparkSessions.Catalog.NONE),
        new HadoopFiles(spark.sparkContext().hadoopConfiguration()), study);
  }

  private String report(TableStore tables, HadoopFiles files, String study) throws IOException {
    long start = System.nanoTime();
    Views views = Views.register(spark, tables);
    String page = new StudyReport(views, files, root, study).write().toString();
    out.printf("report: written in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return page;
  }
}
