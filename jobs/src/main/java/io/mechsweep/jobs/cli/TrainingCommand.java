package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.PackSizing;
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

/** What train, study and probe share: the config, the common options, --study, --retry-failed. */
public abstract class TrainingCommand implements Callable<Integer>, UnderRoot {
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
      return ExitCodes.RUNS_FAILED;
    }
    return ExitCodes.OK;
  }
}
