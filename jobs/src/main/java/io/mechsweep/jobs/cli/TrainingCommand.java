package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import io.mechsweep.jobs.config.StudyConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What train, study and probe share: the config and --set, the common options, --study. */
public abstract class TrainingCommand implements Callable<Integer>, UnderRoot {
  @Mixin CommonOptions common;
  @Mixin StudyOptions options;
  @Spec CommandSpec spec;

  @Override
  public CommonOptions common() {
    return common;
  }

  /** Whether to generate the dataset when it is missing (study) or require it (train, probe). */
  abstract boolean generate();

  /** Whether runs that failed before train again (--retry-failed, where the command trains). */
  abstract boolean retryFailed();

  /** Whether every checkpoint is probed again (--reprobe, where the command probes). */
  abstract boolean reprobe();

  /** The steps after the dataset. */
  abstract StudyRunner.Steps steps();

  /** Validates the config before any work, then trains and writes the tables; 3 when runs failed. */
  @Override
  public Integer call() throws Exception {
    StudyConfig c = options.parse(spec);
    StudyRunner.Result result;
    String command = spec.name();
    try (Workspace w = Workspace.writing(common, command)) {
      result = new StudyRunner(w.spark(), w.root(), common.catalogMode(), System.out)
          .train(c, generate(), retryFailed(), reprobe(), steps());
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
