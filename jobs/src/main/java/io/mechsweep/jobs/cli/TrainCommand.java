package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the study's runs on its existing dataset and write the tables (runs, run_params,"
        + " metrics, evals and the task's own); one stage: `mechsweep probe` probes the checkpoints and"
        + " `mechsweep report` writes the report. Finished runs are skipped; unfinished ones resume from"
        + " their last checkpoint.")
public final class TrainCommand extends TrainingCommand {
  @Mixin RetryOption retry;

  @Override
  boolean retryFailed() {
    return retry.retryFailed;
  }

  @Override
  boolean reprobe() {
    return false; // training probes nothing
  }

  @Override
  boolean generate() {
    return false;
  }

  @Override
  StudyRunner.Steps steps() {
    return new StudyRunner.Steps(true, false, false);
  }
}
