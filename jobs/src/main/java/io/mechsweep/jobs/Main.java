package io.mechsweep.jobs;

import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.PackSizing;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.jobs.tasks.TaskKind;
import io.mechsweep.jobs.tasks.Tasks;
import io.mechsweep.training.standalone.TrainPacks;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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
    subcommands = {Main.Generate.class, Main.Train.class, Main.Probe.class, Main.Study.class, Main.Report.class, Main.Sql.class,
        Main.ExportPacks.class, TrainPacks.class, Bench.class},
    footer = {
      "",
      "Spark settings come from spark-submit (--master, --conf …); without it mechsweep runs in"
          + " local[*]. Everything goes under --root: datasets/, checkpoints/, results/, tables/,"
          + " reports/ and catalog/. Study configs: conf/studies/*.yaml, every field in docs/config.md.",
    })
public final class Main implements Runnable {

  /** A command whose output lives under a root: where its error log goes. */
  interface UnderRoot {
    CommonOptions common();
  }

  /** Exit codes: all good; an internal error (a bug); bad input; some runs of the study failed. */
  static final int OK = 0;
  static final int INTERNAL_ERROR = 1;
  static final int BAD_INPUT = 2;
  static final int RUNS_FAILED = 3;

  @Override
  public void run() {
    commandLine().usage(System.out);
  }

  /** The command line with the generic commands above and each task's own ({@link TaskKind#commands}). */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    Tasks.ALL.forEach(kind -> kind.commands().forEach(cli::addSubcommand));
    // The catalog's names come from the tasks, so the help cannot fall behind a new table or view.
    cli.getSubcommands().get("sql").getCommandSpec().usageMessage().description(
        "Run SQL against the catalog (tables mechsweep." + String.join(", ",
            Tasks.tables().stream().map(io.mechsweep.analysis.tables.Tables.Table::name).toList())
            + "; views mechsweep." + String.join(", ", Tasks.views()) + ") and print the result.");
    return cli;
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Generate the study's dataset as Parquet (reused when already complete).")
  static final class Generate implements Callable<Integer>, UnderRoot {
    @Mixin CommonOptions common;

    @Override
    public CommonOptions common() {
      return common;
    }

    @Parameters(paramLabel = "STUDY.yaml", description = "Study config, e.g. conf/studies/anchor-quickstart.yaml")
    Path config;

    @Override
    public Integer call() throws Exception {
      StudyConfig c = StudyConfigParser.parse(config);
      try (RootLock lock = common.lockForWriting("generate"); SparkSession spark = common.session("generate")) {
        new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out).generate(c);
      } finally {
        common.removeScratch();
      }
      return OK;
    }
  }

  /** The study config and what selects its runs: the config file, --study, --retry-failed. */
  static final class StudyOptions {
    @Parameters(paramLabel = "STUDY.yaml", description = "Study config, e.g. conf/studies/anchor-quickstart.yaml")
    Path config;

    @Option(names = "--study", paramLabel = "NAME",
        description = "Name the study NAME instead of the config's `study:` (its table partitions"
            + " and report), e.g. a dated name for a scheduled run: anchor-nightly-20261123.")
    String study;

    @Option(names = "--retry-failed", description = "Train runs that failed before again (export-packs: include them).")
    boolean retryFailed;

    /** The study config, renamed by --study when given. */
    StudyConfig parse(CommandSpec spec) throws java.io.IOException {
      StudyConfig c = StudyConfigParser.parse(config);
      if (study == null) {
        return c;
      }
      if (!study.matches(io.mechsweep.analysis.tables.Tables.STUDY_NAME)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--study: got '" + study + "'; allowed: 1-64 letters, digits, '-' or '_'");
      }
      return c.withStudy(study);
    }
  }

  /** What train, study and probe share: the config, the common options, --study, --retry-failed. */
  abstract static class TrainingCommand implements Callable<Integer>, UnderRoot {
    @Mixin CommonOptions common;
    @Mixin StudyOptions options;
    @Spec CommandSpec spec;

    @Override
    public CommonOptions common() {
      return common;
    }

    @Option(names = "--reprobe",
        description = "Probe every checkpoint again and replace the study's probe rows (after the"
            + " probes changed). Default: probe only checkpoints not yet in the probes table.")
    boolean reprobe;

    /** Whether to generate the dataset when it is missing (study) or require it (train, probe). */
    abstract boolean generate();

    /** The steps after the dataset. */
    abstract StudyRunner.Steps steps();

    /** Validates the config before any work, then trains and writes the tables; 3 when runs failed. */
    @Override
    public Integer call() throws Exception {
      StudyConfig c = options.parse(spec);
      StudyRunner.Result result;
      String command = spec.name();
      try (RootLock lock = common.lockForWriting(command); SparkSession spark = common.session(command)) {
        result = new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out)
            .train(c, generate(), options.retryFailed && steps().train(), reprobe, steps());
      } finally {
        common.removeScratch();
      }
      long failed = result.outcomes().stream().filter(o -> !o.finished()).count();
      if (failed > 0) {
        spec.commandLine().getErr().printf("mechsweep: %d of %d runs failed (reasons: failure_reason in mechsweep.runs,"
            + " e.g. bin/mechsweep sql --root %s \"select run_id, failure_reason from mechsweep.runs where status ="
            + " 'failed'\"); --retry-failed trains them again%n", failed, result.outcomes().size(), common.resolvedRoot());
        spec.commandLine().getErr().flush();
        return RUNS_FAILED;
      }
      return OK;
    }
  }

  @Command(name = "export-packs", mixinStandardHelpOptions = true,
      description = "Write the study's unfinished runs as a pack bundle (packs, task data, run configs)"
          + " for `train-packs` on a machine without Spark, e.g. a GPU box; the dataset is generated"
          + " first when missing. Trains nothing.",
      footer = {"", "Example: bin/mechsweep export-packs conf/studies/anchor-paper.yaml --out bundle/",
          "         then on the GPU machine: bin/train-packs bundle/ --root out/ --device gpu:0"})
  static final class ExportPacks implements Callable<Integer>, UnderRoot {
    @Mixin CommonOptions common;
    @Mixin StudyOptions options;
    @Spec CommandSpec spec;

    @Override
    public CommonOptions common() {
      return common;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The bundle's directory (local).")
    Path out;

    @Option(names = "--pack-size", paramLabel = "K",
        description = "Runs per pack (default: the config's training.pack_size or training.gpu_memory_gib).")
    Integer packSize;

    @Option(names = "--gpu-memory", paramLabel = "GIB",
        description = "Size packs for a GPU of GIB GiB: as many runs of each model shape as fit, measured by one"
            + " training step on this machine's CPU. Replaces the config's training.gpu_memory_gib and"
            + " pack_size (which size packs for its own executors); --pack-size caps it.")
    Double gpuMemory;

    @Override
    public Integer call() throws Exception {
      StudyConfig c = options.parse(spec);
      int max = StudyConfigParser.MAX_PACK_SIZE;
      if (packSize != null && (packSize < 1 || packSize > max)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--pack-size: got " + packSize + "; allowed: an integer in [1, " + max + "]");
      }
      if (gpuMemory != null && !(gpuMemory > 0 && gpuMemory <= 100_000)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--gpu-memory: got " + gpuMemory + "; allowed: GiB, a number in (0, 100000]");
      }
      if (gpuMemory != null) {
        c = c.withGpuMemory(gpuMemory, packSize != null ? packSize : max);
      }
      try (RootLock lock = common.lockForWriting("export-packs"); SparkSession spark = common.session("export-packs")) {
        new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out)
            .exportPacks(c, options.retryFailed, gpuMemory != null ? null : packSize,
                gpuMemory != null ? PackSizing.Knobs.EXPORT_OPTIONS : PackSizing.Knobs.CONFIG, out);
      } finally {
        common.removeScratch();
      }
      return OK;
    }
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Train the study's runs on its existing dataset, write the tables, probe the"
          + " new checkpoints and write the report. Finished runs are skipped; unfinished ones"
          + " resume from their last checkpoint.")
  static final class Train extends TrainingCommand {
    @Option(names = "--skip-probes",
        description = "Only train and write the tables; `mechsweep probe` and `mechsweep report` do the rest.")
    boolean skipProbes;

    @Override
    boolean generate() {
      return false;
    }

    @Override
    StudyRunner.Steps steps() {
      return skipProbes ? new StudyRunner.Steps(true, false, false) : StudyRunner.Steps.ALL;
    }
  }

  @Command(name = "probe", mixinStandardHelpOptions = true,
      description = "Probe the checkpoints of a trained study not probed yet (all with --reprobe)"
          + " and write the tables and views; trains nothing (a run without a result is an error)"
          + " and writes no report (`mechsweep report`).")
  static final class Probe extends TrainingCommand {
    @Override
    boolean generate() {
      return false;
    }

    @Override
    StudyRunner.Steps steps() {
      return new StudyRunner.Steps(false, true, false);
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

    @Override
    StudyRunner.Steps steps() {
      return StudyRunner.Steps.ALL;
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Regenerate a study's HTML report from its tables (the sections of its task):"
          + " <root>/reports/<study>/index.html.")
  static final class Report implements Callable<Integer>, UnderRoot {
    @Mixin CommonOptions common;

    @Override
    public CommonOptions common() {
      return common;
    }

    @Parameters(paramLabel = "STUDY", description = "The study's name (the `study:` field of its config).")
    String study;

    @Override
    public Integer call() throws Exception {
      if (!study.matches(io.mechsweep.analysis.tables.Tables.STUDY_NAME)) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "STUDY: got '" + study + "'; allowed: a study name of 1-64 letters, digits, '-' or '_'");
      }
      common.requireExistingRoot();
      try (SparkSession spark = common.readingSession("report")) {
        String page = new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out).report(study);
        System.out.println("report: " + page);
      } finally {
        common.removeScratch();
      }
      return OK;
    }
  }

  @Command(name = "sql", mixinStandardHelpOptions = true,
      description = "Run SQL against the catalog and print the result (its tables and views: commandLine()).",
      footer = {"", "Examples: bin/mechsweep sql \"select * from mechsweep.phase_diagram\"",
          "          bin/mechsweep sql --file analysis/sql/accuracy_vs_step.sql"})
  static final class Sql implements Callable<Integer>, UnderRoot {
    @Mixin CommonOptions common;

    @Override
    public CommonOptions common() {
      return common;
    }

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
      try (SqlSession session = SqlSession.open(common)) {
        for (String statement : statements) {
          session.show(statement, limit, System.out);
        }
      }
      return OK;
    }
  }

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  /**
   * Runs a command and returns its exit code: {@link #OK}; {@link #BAD_INPUT} for a bad config,
   * option, root, input file or SQL, with one line on stderr saying what and what to do;
   * {@link #RUNS_FAILED} when a study finished but some of its runs failed; {@link #INTERNAL_ERROR}
   * for anything else, with one line on stderr and the full trace in a log file under the root.
   */
  static int execute(java.io.PrintStream out, java.io.PrintStream err, String... args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    CommandLine cli = commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          String command = e.getCommandLine().getCommandName();
          cli.getErr().println(cmdError(cli, firstLine(e.getMessage())
              + " (see mechsweep " + (command.equals("mechsweep") ? "" : command + " ") + "--help)"));
          return BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (isBadInput(e)) {
            cmd.getErr().println(cmdError(cmd, firstLine(e.getMessage())));
            return BAD_INPUT;
          }
          Path log = writeTrace(e, cmd.getCommand() instanceof UnderRoot r ? r.common().resolvedRoot() : null);
          cmd.getErr().println(cmdError(cmd, "internal error: " + firstLine(e.toString()) + "; the full trace is in "
              + log + " (please report it)"));
          return INTERNAL_ERROR;
        });
    return cli.execute(args);
  }

  /** What a user can fix: a config, an option, a missing or unwritable path, an unusable input file, SQL. */
  private static boolean isBadInput(Exception e) {
    return e instanceof ConfigException || e instanceof io.mechsweep.datagen.BadInputException
        || e instanceof java.io.IOException
        || e instanceof org.apache.spark.sql.AnalysisException;
  }

  private static String cmdError(CommandLine cmd, String message) {
    return cmd.getColorScheme().errorText("mechsweep: " + message).toString();
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.strip().lines().findFirst().orElse("");
  }

  /**
   * Writes the exception's full trace to {@code <root>/logs/error-<time>.log} (a local root that
   * exists), else to the temporary directory; returns where it went.
   */
  static Path writeTrace(Throwable e, String root) {
    String name = "mechsweep-error-" + java.time.LocalDateTime.now().toString().replace(':', '-') + ".log";
    Path local = root == null ? null : SparkSessions.localPath(root);
    Path dir = local != null && java.nio.file.Files.isDirectory(local)
        ? local.resolve("logs")
        : Path.of(System.getProperty("java.io.tmpdir"));
    Path log = dir.resolve(name);
    try {
      java.nio.file.Files.createDirectories(dir);
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      java.nio.file.Files.writeString(log, trace.toString());
      return log;
    } catch (java.io.IOException | RuntimeException writeFailed) {
      return Path.of("(not written: " + writeFailed.getMessage() + ")");
    }
  }
}
