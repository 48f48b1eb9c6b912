package io.mechsweep.jobs;

import io.mechsweep.jobs.cli.Bench;
import io.mechsweep.jobs.cli.ErrorReport;
import io.mechsweep.jobs.cli.ExitCodes;
import io.mechsweep.jobs.cli.ExportPacksCommand;
import io.mechsweep.jobs.cli.GenerateCommand;
import io.mechsweep.jobs.cli.PlanCommand;
import io.mechsweep.jobs.cli.ProbeCommand;
import io.mechsweep.jobs.cli.ReportCommand;
import io.mechsweep.jobs.cli.SqlCommand;
import io.mechsweep.jobs.cli.StatusCommand;
import io.mechsweep.jobs.cli.StudyCommand;
import io.mechsweep.jobs.cli.TrainCommand;
import io.mechsweep.jobs.tasks.TaskKind;
import io.mechsweep.jobs.tasks.Tasks;
import io.mechsweep.training.standalone.TrainPacks;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mechsweep}: the command line and the spark-submit main class; each command is a class of {@code jobs/cli}. */
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
      "Then:        bin/mechsweep sql \"select * from mechsweep.anchor_phase_diagram\"",
    },
    subcommands = {PlanCommand.class, GenerateCommand.class, TrainCommand.class, ProbeCommand.class,
        StudyCommand.class, StatusCommand.class, ReportCommand.class, SqlCommand.class, ExportPacksCommand.class,
        TrainPacks.class, Bench.class},
    footer = {
      "",
      "Spark settings come from spark-submit (--master, --conf …); without it mechsweep runs in"
          + " local[*]. Everything goes under --root: datasets/, checkpoints/, results/, tables/,"
          + " reports/ and catalog/. Study configs: conf/studies/*.yaml, every field in docs/config.md.",
    })
public final class Main implements Runnable {
  /** Exit codes: all good; an internal error (a bug); bad input; some runs of the study failed. */
  static final int OK = ExitCodes.OK;
  static final int INTERNAL_ERROR = ExitCodes.INTERNAL_ERROR;
  static final int BAD_INPUT = ExitCodes.BAD_INPUT;
  static final int RUNS_FAILED = ExitCodes.RUNS_FAILED;

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

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  /** Runs a command and returns its exit code ({@link ErrorReport} says which and prints why). */
  static int execute(java.io.PrintStream out, java.io.PrintStream err, String... args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    CommandLine cli = commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    ErrorReport.install(cli);
    return cli.execute(args);
  }
}
