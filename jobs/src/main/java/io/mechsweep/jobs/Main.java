package io.mechsweep.jobs;

import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.stages.SparkSessions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mechsweep}: the command line and the spark-submit main class. */
@Command(
    name = "mechsweep",
    mixinStandardHelpOptions = true,
    version = "mechsweep 0.1.0",
    description = {
      "Mechanistic studies of small transformers on Spark: generate the data, train every"
          + " configuration of a study grid (packed into batched models on the executors), and"
          + " write Parquet result tables you can query with SQL.",
      "",
      "Start with:  bin/mechsweep study conf/studies/anchor-quickstart.yaml",
      "Then:        bin/mechsweep sql \"select * from mechsweep.phase_diagram\"",
    },
    subcommands = {Main.Generate.class, Main.Train.class, Main.Study.class, Main.Report.class, Main.Sql.class, Bench.class},
    footer = {
      "",
      "Spark settings come from spark-submit (--master, --conf …); without it mechsweep runs in"
          + " local[*]. Everything goes under --root: datasets/, checkpoints/, results/, tables/,"
          + " reports/ and catalog/. Study configs: conf/studies/*.yaml, fields in README.md.",
    })
public final class Main implements Runnable {

  /** Options every command shares. */
  static final class Common {
    @Option(
        names = "--root",
        defaultValue = "${env:MECHSWEEP_ROOT:-mechsweep-out}",
        description = "Where datasets, checkpoints and tables go: a local path or any Hadoop"
            + " FileSystem URI (hdfs://…, s3a://…). Default: $MECHSWEEP_ROOT or ./mechsweep-out.")
    String root;

    @Option(
        names = "--catalog",
        defaultValue = "embedded",
        description = "Table catalog: embedded (Derby metastore under <root>/catalog; one JVM at a"
            + " time), session (the Hive metastore your Spark config points to), none (paths only)."
            + " Default: ${DEFAULT-VALUE}.")
    String catalog;

    @Option(
        names = "--conf",
        description = "Extra Spark setting key=value for local runs, e.g. --conf spark.task.cpus=2"
            + " (threads per training task).")
    Map<String, String> conf = new LinkedHashMap<>();

    SparkSessions.Catalog catalogMode() {
      try {
        return SparkSessions.Catalog.valueOf(catalog.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(new Main()), "--catalog: got '" + catalog + "'; allowed: embedded, session, none");
      }
    }

    String resolvedRoot() {
      return SparkSessions.resolveRoot(root);
    }

    SparkSession session(String command) {
      return SparkSessions.create("mechsweep " + command, resolvedRoot(), catalogMode(), conf);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Generate the study's dataset as Parquet (reused when already complete).")
  static final class Generate implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(paramLabel = "STUDY.yaml", description = "Study config, e.g. conf/studies/anchor-quickstart.yaml")
    Path config;

    @Override
    public Integer call() throws Exception {
      StudyConfig c = StudyConfigParser.parse(config);
      try (SparkSession spark = common.session("generate")) {
        new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out).generate(c);
      }
      return 0;
    }
  }

  /** What train and study share: the config, the common options and --retry-failed. */
  abstract static class TrainingCommand implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(paramLabel = "STUDY.yaml", description = "Study config, e.g. conf/studies/anchor-quickstart.yaml")
    Path config;

    @Option(names = "--retry-failed", description = "Train runs that failed before again.")
    boolean retryFailed;

    @Option(names = "--reprobe",
        description = "Probe every checkpoint again and replace the study's probe rows (after the"
            + " probes changed). Default: probe only checkpoints not yet in the probes table.")
    boolean reprobe;

    /** Whether to generate the dataset when it is missing (study) or require it (train). */
    abstract boolean generate();

    /** Validates the config before any work, then trains and writes the tables. */
    @Override
    public Integer call() throws Exception {
      StudyConfig c = StudyConfigParser.parse(config);
      try (SparkSession spark = common.session(generate() ? "study" : "train")) {
        new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out)
            .train(c, generate(), retryFailed, reprobe);
      }
      return 0;
    }
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Train the study's runs on its existing dataset, write the tables, probe the"
          + " new checkpoints and write the report. Finished runs are skipped; unfinished ones"
          + " resume from their last checkpoint.")
  static final class Train extends TrainingCommand {
    @Override
    boolean generate() {
      return false;
    }
  }

  @Command(name = "study", mixinStandardHelpOptions = true,
      description = "Run a whole study: generate its dataset, train every run, write the tables,"
          + " probe every checkpoint, write the report and print the task's summary (anchor: the"
          + " γ × depth solution types; varassign: accuracy per pool and the phases)."
          + " Re-running skips finished runs, resumes unfinished ones from their last checkpoint"
          + " and probes only new checkpoints.",
      footer = {"", "Example: bin/mechsweep study conf/studies/anchor-quickstart.yaml --root /data/ms",
          "         bin/mechsweep study conf/studies/varassign-quickstart.yaml"})
  static final class Study extends TrainingCommand {
    @Override
    boolean generate() {
      return true;
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Regenerate a study's HTML report from its tables (the sections of its task):"
          + " <root>/reports/<study>/index.html.")
  static final class Report implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(paramLabel = "STUDY", description = "The study's name (the `study:` field of its config).")
    String study;

    @Override
    public Integer call() throws Exception {
      try (SparkSession spark = common.session("report")) {
        String page = new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out).report(study);
        System.out.println("report: " + page);
      }
      return 0;
    }
  }

  @Command(name = "sql", mixinStandardHelpOptions = true,
      description = "Run SQL against the catalog (tables mechsweep.datasets, runs, metrics, evals,"
          + " probes, solutions; views mechsweep.phase_diagram, run_summary, varassign_pools,"
          + " varassign_phases) and print the result.",
      footer = {"", "Examples: bin/mechsweep sql \"select * from mechsweep.phase_diagram\"",
          "          bin/mechsweep sql --file analysis/sql/accuracy_vs_step.sql"})
  static final class Sql implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(paramLabel = "QUERY", arity = "0..1", description = "Spark SQL, e.g. select * from mechsweep.runs")
    String query;

    @Option(names = "--file", paramLabel = "FILE.sql",
        description = "Run the statements of a file (separated by ';'), e.g. analysis/sql/*.sql.")
    Path file;

    @Option(names = "--limit", defaultValue = "200", description = "Rows to print. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() throws Exception {
      if ((query == null) == (file == null)) {
        throw new CommandLine.ParameterException(new CommandLine(this), "give either a QUERY or --file FILE.sql");
      }
      List<String> statements = query != null ? List.of(query) : SqlFiles.statements(java.nio.file.Files.readString(file));
      try (SparkSession spark = common.session("sql")) {
        for (String statement : statements) {
          Dataset<Row> result = spark.sql(statement);
          result.show(limit, false);
        }
      }
      return 0;
    }
  }

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  /** Runs a command; bad configs, unreadable inputs and bad SQL exit with 2 and a short error. */
  static int execute(java.io.PrintStream out, java.io.PrintStream err, String... args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException || e instanceof java.io.IOException
              || e instanceof org.apache.spark.sql.AnalysisException) {
            cmd.getErr().println(cmd.getColorScheme().errorText(e.getMessage()));
            return 2;
          }
          throw e;
        });
    return cli.execute(args);
  }
}
