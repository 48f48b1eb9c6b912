package io.mechsweep.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.analysis.report.StudyReport;
import io.mechsweep.analysis.tables.TableStore;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.datagen.BadInputException;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.plan.PackSizing;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.RunReferences;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.stages.DatasetStage;
import io.mechsweep.jobs.stages.ProbeStage;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.jobs.stages.StudySettings;
import io.mechsweep.jobs.stages.TableStage;
import io.mechsweep.jobs.stages.TrainingStage;
import io.mechsweep.jobs.tasks.Task;
import io.mechsweep.jobs.tasks.TaskKind;
import io.mechsweep.jobs.tasks.Tasks;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.standalone.PackBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
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
    return DatasetStage.ensure(spark, root, config.task(), out);
  }

  /** What a study run produced: per-run results, the printed summary, the probes (null when skipped) and the report. */
  public record Result(
      List<RunOutcome> outcomes, List<Task.RunResult> runs, String summary, ProbeStage.Result probes,
      String report) {}

  /**
   * The steps a command runs after the dataset, one Spark application each in a scheduled study
   * (airflow/dags): train the unfinished runs (otherwise every run must have been trained), probe
   * the checkpoints, write the report. The tables are written by each.
   */
  public record Steps(boolean train, boolean probe, boolean report) {
    public static final Steps ALL = new Steps(true, true, true);
  }

  /** Every step: {@link #train(StudyConfig, boolean, boolean, boolean, Steps)} with {@link Steps#ALL}. */
  public Result train(StudyConfig config, boolean generateIfMissing, boolean retryFailed, boolean reprobe)
      throws IOException {
    return train(config, generateIfMissing, retryFailed, reprobe, Steps.ALL);
  }

  /**
   * Trains every unfinished run and writes the tables, then probes and reports as {@code steps} say.
   *
   * @param generateIfMissing generate the dataset first (study) or require it (train)
   * @param reprobe probe every checkpoint again, replacing the study's probe rows (after the
   *     probes themselves changed); otherwise only checkpoints not in the table are probed
   */
  public Result train(StudyConfig config, boolean generateIfMissing, boolean retryFailed, boolean reprobe,
      Steps steps) throws IOException {
    config = RunReferences.resolve(config, new HadoopFiles(spark.sparkContext().hadoopConfiguration()), root);
    StudyPlan plan = StudyPlan.of(config);
    String datasetDir = DatasetStage.dir(root, config.task());
    DatasetMetadata metadata = dataset(config, generateIfMissing);
    Task.Inputs inputs = inputs(config);
    requireBatchesFit(config, inputs.data(), datasetDir);
    HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
    RunStore store = new RunStore(root, files);
    if (!steps.train()) {
      requireTrained(plan, store, config.study());
    }
    StudySettings settings = StudySettings.of(config);
    boolean probeAgain = settings.announceChanges(StudySettings.read(files, root, config.study()), out) || reprobe;
    long start = System.nanoTime();
    TableStore tables = tableStore();
    List<RunOutcome> outcomes = TrainingStage.run(spark, plan, inputs.data(), store, retryFailed, out,
        finished -> {
          // The finished runs' rows now, so SQL sees them during a long study; all rows at the end.
          TableStage.write(tables, new StudyPlan(plan.config(), plan.datasetId(), List.copyOf(finished.keySet())), metadata,
              datasetDir, List.copyOf(finished.values()));
          out.printf("tables: the rows of %d of %d runs written (the others as their packs finish)%n",
              finished.size(), plan.runs().size());
        });
    out.printf("training: done in %.1f s%n", (System.nanoTime() - start) / 1e9);

    List<Task.RunResult> runs = TableStage.write(tables, plan, metadata, datasetDir, outcomes);
    ProbeStage.Result probed = null;
    if (steps.probe()) {
      probed = ProbeStage.run(spark, plan, inputs.probes(), store, tables, probeAgain, out);
      settings.write(files, root, config.study());
    } else {
      out.println("probes: skipped (`mechsweep probe` probes the checkpoints)");
    }
    Views views = views(tables);
    String report;
    if (!steps.report()) {
      report = "skipped (`mechsweep report " + config.study() + "` writes it)";
    } else if (outcomes.stream().anyMatch(o -> !o.evals().isEmpty())) {
      report = report(views, files, config.study(), config.task().kind());
    } else {
      report = "none: no run of the study was evaluated (every run failed before its first evaluation)";
    }
    String summary = config.task().summary(config.study(), runs, views);
    out.println();
    out.print(summary);
    out.println();
    out.println("tables (Parquet, partition study=" + config.study() + "): " + root + "/tables/{"
        + String.join(",", Tasks.tables().stream().map(Tables.Table::name).toList()) + "}");
    if (catalog != SparkSessions.Catalog.NONE) {
      List<String> ownViews = config.task().kind().views();
      out.println("catalog: database " + Tables.DATABASE + ", views " + String.join(", ", ownViews)
          + " (try: bin/mechsweep sql --root " + root + " \"select * from " + Tables.DATABASE + "."
          + ownViews.get(0) + "\")");
    }
    out.println("report: " + report);
    return new Result(outcomes, runs, summary, probed, report);
  }

  /**
   * Writes the study's unfinished runs as a pack bundle for {@code train-packs} (no Spark there):
   * the packs {@link TrainingStage} would train now, the task's data and the run configs. The
   * dataset is generated first when it is missing.
   *
   * @param packSize runs per pack, or null for the config's ({@link PackSizing})
   * @param knobs the names of the settings that size packs by memory (the config's, or the options
   *     that replaced them), for the lines and errors that name them
   */
  public PackBundle exportPacks(StudyConfig config, boolean retryFailed, Integer packSize, PackSizing.Knobs knobs,
      Path dir) throws IOException {
    config = RunReferences.resolve(config, new HadoopFiles(spark.sparkContext().hadoopConfiguration()), root);
    StudyPlan plan = StudyPlan.of(config);
    DatasetMetadata metadata = dataset(config, true);
    Task.Inputs inputs = inputs(config);
    RunStore store = new RunStore(root, new HadoopFiles(spark.sparkContext().hadoopConfiguration()));
    List<RunSpec> todo = plan.unfinished(store, retryFailed);
    if (todo.isEmpty()) {
      throw new BadInputException("every run of study '" + config.study() + "' has a result under " + root
          + (retryFailed ? "" : " (failed ones too: --retry-failed exports those)") + "; nothing to export");
    }
    Map<String, String> configs = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (RunSpec run : todo) {
      configs.put(run.runId(), json.writeValueAsString(run.config()));
    }
    List<PackSpec> packs = packSize != null ? plan.packs(todo, packSize) : PackSizing.packs(plan, todo, inputs.data(), out, knobs);
    PackBundle bundle = new PackBundle(config.study(), metadata.datasetId(), packs, configs, inputs.data());
    bundle.write(dir);
    out.printf("export-packs: %d of %d runs unfinished, in %d packs of up to %d, with the %s data (dataset %s): %s%n",
        todo.size(), plan.runs().size(), bundle.packs().size(),
        packSize != null ? packSize : PackSizing.upTo(config.training(), packs), config.task().kind().name(),
        metadata.datasetId(), dir.toAbsolutePath());
    out.printf("then: bin/train-packs %s --root OUT (on the GPU machine: see docs/gpu.md), copy"
        + " OUT/checkpoints and OUT/results into %s, and run `mechsweep study` on this config there%n", dir, root);
    return bundle;
  }

  /** The study's dataset: generated when missing ({@code generate}) or required. */
  private DatasetMetadata dataset(StudyConfig config, boolean generate) throws IOException {
    if (generate) {
      return generate(config);
    }
    String datasetDir = DatasetStage.dir(root, config.task());
    return DatasetMetadata.read(datasetDir, spark.sparkContext().hadoopConfiguration())
        .orElseThrow(() -> new BadInputException("no complete dataset at " + datasetDir
            + "; run `mechsweep generate` with this config first (or use `mechsweep study`)"));
  }

  /** The training data and probe inputs read from the study's dataset. */
  /**
   * A batch drawn from a fixed training set needs that many rows. Known only once the dataset
   * exists for a task whose size comes from its input (wikipedia): refused here, before training.
   */
  private static void requireBatchesFit(StudyConfig config, TaskData data, String datasetDir) {
    int batch = config.training().batchSize();
    java.util.OptionalInt rows = data.train().fixedRows();
    if (rows.isPresent() && batch > rows.getAsInt()) {
      throw new BadInputException("training.batch_size: got " + batch + ", but the dataset " + datasetDir + " has "
          + rows.getAsInt() + " training rows; lower training.batch_size to at most " + rows.getAsInt()
          + ", or give the task more data");
    }
  }

  private Task.Inputs inputs(StudyConfig config) throws IOException {
    String datasetDir = DatasetStage.dir(root, config.task());
    try {
      return config.task().load(spark, datasetDir, config.evaluation().maxRowsPerSet(), config.probes().rowsPerSet());
    } catch (Exception e) { // Spark's read failures are SparkExceptions, thrown undeclared
      BadInputException unreadable = unreadable(datasetDir, e);
      if (unreadable != null) {
        throw unreadable;
      }
      throw e;
    }
  }

  /**
   * A dataset file that no attempt of Spark's tasks could read (corrupt, truncated, not readable
   * by the executors' user) as one line naming it and how to rebuild; other failures unchanged.
   * Nothing has been written to the tables at this point. Null when {@code e} is about something else.
   */
  private static final java.util.regex.Pattern READ_FILE = java.util.regex.Pattern.compile("reading file (\\S+)");

  static BadInputException unreadable(String datasetDir, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      java.util.regex.Matcher file = READ_FILE.matcher(String.valueOf(t.getMessage()));
      if (file.find()) {
        return new BadInputException("dataset file " + file.group(1).replaceAll("[.]+$", "") + " cannot be read ("
            + rootCause(t) + "); the dataset " + datasetDir + " must be rebuilt: delete it and run `mechsweep"
            + " generate` (or `mechsweep study`) with this config", e);
      }
    }
    return null;
  }

  private static String rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).lines().findFirst().orElse("");
  }

  /** Stops a command that only probes when some run of the study has no result yet. */
  private static void requireTrained(StudyPlan plan, RunStore store, String study) throws IOException {
    List<String> untrained = new java.util.ArrayList<>();
    for (var run : plan.runs()) {
      if (store.result(run.runId()).isEmpty()) {
        untrained.add(run.runId());
      }
    }
    if (!untrained.isEmpty()) {
      throw new BadInputException(untrained.size() + " of " + plan.runs().size() + " runs of study '" + study
          + "' have not been trained (e.g. " + untrained.get(0) + "); run `mechsweep train` first");
    }
  }

  /** Regenerates a study's report from the tables; returns the page's path. */
  public String report(String study) throws IOException {
    TableStore tables = tableStore();
    List<Row> tasks = tables.readStudy(Tables.RUNS, study).select("task").distinct().collectAsList();
    if (tasks.isEmpty()) {
      throw new BadInputException("study '" + study + "' has no runs in the tables under " + root
          + "; run `mechsweep study` for it first");
    }
    String name = tasks.get(0).getString(0);
    TaskKind kind = Tasks.byName(name)
        .orElseThrow(() -> new BadInputException("study '" + study + "' is of task '" + name
            + "', which this version does not know; known tasks: " + Tasks.known()));
    return report(views(tables), new HadoopFiles(spark.sparkContext().hadoopConfiguration()), study, kind);
  }

  /** Makes every table and view queryable by name in this session's catalog. */
  public void registerTables() {
    views(tableStore());
  }

  private TableStore tableStore() {
    return catalog == SparkSessions.Catalog.IN_MEMORY
        ? TableStore.reading(spark, root)
        : new TableStore(spark, root, catalog != SparkSessions.Catalog.NONE);
  }

  private Views views(TableStore tables) {
    return Views.register(spark, tables, Tasks.tables(), Tasks.views());
  }

  private String report(Views views, HadoopFiles files, String study, TaskKind kind) throws IOException {
    out.printf("report: writing %s/reports/%s/ (queries over the views, then the pictures) ...%n", root, study);
    long start = System.nanoTime();
    String page = new StudyReport(views, files, root, study, kind.report()).write().toString();
    out.printf("report: written in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return page;
  }
}
